// Single sign-on settings (OpenID Connect, docs/identity.md): the identity provider, this service's client, and the
// group map.
import { z } from 'zod';
import { parseGroupMap, type GroupMap } from '#domain';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Spread into the environment schema. */
export const oidcEnvShape = {
  /**
   * The identity provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`); single
   * sign-on is off when unset.
   */
  OIDC_ISSUER: z
    .string()
    .trim()
    .refine(
      (v) =>
        URL.canParse(v) &&
        (new URL(v).protocol === 'https:' || (new URL(v).protocol === 'http:' && LOOPBACK.has(new URL(v).hostname))),
      {
        message: 'OIDC_ISSUER must be an https:// URL (http:// only on localhost or 127.0.0.1, for trying it locally)',
      },
    )
    .optional(),
  OIDC_CLIENT_ID: z.string().trim().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** The claim (in the ID token, or else from the UserInfo endpoint) that lists the person's groups. */
  OIDC_GROUPS_CLAIM: z.string().trim().default('groups'),
  /** JSON: group → { role, forces: [codes] | "all" }. */
  OIDC_GROUP_MAP: z.string().optional(),
};

type OidcEnv = z.infer<z.ZodObject<typeof oidcEnvShape>>;

/** The checks across the OIDC settings, for the schema's superRefine: all four set together, and a map that reads. */
export function oidcProblems(env: OidcEnv): { path: string; message: string }[] {
  const required = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_GROUP_MAP'] as const;
  const set = required.filter((name) => env[name] !== undefined);
  if (set.length === 0) return [];
  const missing = required.filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    return [
      {
        path: missing[0],
        message: `single sign-on needs ${required.join(', ')} set together (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not)`,
      },
    ];
  }
  try {
    parseGroupMap(env.OIDC_GROUP_MAP!);
    return [];
  } catch (error) {
    return [{ path: 'OIDC_GROUP_MAP', message: (error as Error).message }];
  }
}

/** Single sign-on as the code uses it; null when OIDC_ISSUER is unset (the sign-in page then shows no button). */
export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  groupsClaim: string;
  groupMap: GroupMap;
  /** Plain http to a loopback issuer (local trial and tests only; the schema refuses it elsewhere). */
  allowHttp: boolean;
}

export function oidcConfig(env: OidcEnv): OidcConfig | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.OIDC_GROUP_MAP) return null;
  const issuer = new URL(env.OIDC_ISSUER);
  return {
    issuer,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    groupMap: parseGroupMap(env.OIDC_GROUP_MAP),
    allowHttp: issuer.protocol === 'http:',
  };
}
