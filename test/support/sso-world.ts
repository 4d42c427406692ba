// Single sign-on end to end: a real OpenID provider (oidc-provider, scripts/demo-identity-provider.ts) on loopback and
// the API in-process, and a browser-less walk through the flow.
import { freePort } from '../../scripts/local-services.js';
import { startIdentityProvider, type DemoPerson, type IdentityProvider } from '../../scripts/demo-identity-provider.js';
import { startApi, type RunningApi, type StartApiOptions } from './api-harness.js';
import { pageClient, type PageClient, type PageResponse } from './page-client.js';

export const SSO_CLIENT_ID = 'followup-tests';
export const SSO_CLIENT_SECRET = 'tests-client-secret-0123456789';

/** Groups → role and forces, with the test forces' codes. */
export const SSO_GROUP_MAP = {
  'sso-north-liaison': { role: 'liaison', forces: ['SSO-NORTH'] },
  'sso-south-liaison': { role: 'liaison', forces: ['SSO-SOUTH'] },
  'sso-managers': { role: 'manager', forces: 'all' },
  'sso-admins': { role: 'admin', forces: 'all' },
  'sso-ghost-force': { role: 'liaison', forces: ['NO-SUCH-FORCE'] },
};

export interface SsoWorld {
  api: RunningApi;
  idp: IdentityProvider;
  /** A person of the provider (their groups can be changed between sign-ins). */
  person(sub: string): DemoPerson;
  close(): Promise<void>;
}

export async function startSsoWorld(
  people: DemoPerson[],
  env: Record<string, string> = {},
  options: StartApiOptions = {},
): Promise<SsoWorld> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const idp = await startIdentityProvider({
    people,
    clientId: SSO_CLIENT_ID,
    clientSecret: SSO_CLIENT_SECRET,
    redirectUris: [`${baseUrl}/sign-in/oidc/callback`],
    postLogoutRedirectUris: [`${baseUrl}/sign-in?signedOut=1`],
    backchannelLogoutUri: `${baseUrl}/sign-in/oidc/backchannel-logout`,
  });
  const api = await startApi(
    {
      APP_BASE_URL: baseUrl,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: SSO_CLIENT_ID,
      OIDC_CLIENT_SECRET: SSO_CLIENT_SECRET,
      OIDC_GROUP_MAP: JSON.stringify(SSO_GROUP_MAP),
      ...env,
    },
    { ...options, port },
  ).catch(async (error: unknown) => {
    await idp.close();
    throw error;
  });
  return {
    api,
    idp,
    person: (sub) => people.find((p) => p.sub === sub)!,
    async close() {
      await api.close();
      await idp.close();
    },
  };
}

/** A cookie jar for the provider's side (its session and interaction cookies). */
function providerJar() {
  const cookies = new Map<string, string>();
  return async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
}

/**
 * Follows the provider's redirects from `authorizeUrl`, signed in there as `sub`, until it sends the browser back
 * to the service; returns that address (the callback with `code`, `state` and `iss`).
 */
export async function throughProvider(idp: IdentityProvider, authorizeUrl: string, sub: string): Promise<URL> {
  const visit = providerJar();
  idp.autoSignIn = sub;
  try {
    let url = authorizeUrl;
    for (let hop = 0; hop < 10; hop++) {
      const response = await visit(url);
      const location = response.headers.get('location');
      if (!location) throw new Error(`the provider stopped at ${url}: ${response.status} ${await response.text()}`);
      const next = new URL(location, url);
      if (next.pathname === '/sign-in/oidc/callback') return next;
      url = next.href;
    }
    throw new Error('the provider redirected too often');
  } finally {
    idp.autoSignIn = null;
  }
}

/**
 * The whole sign-in as a browser makes it: our start, the provider, our callback. `alter` may change the callback's
 * address first (a tampered state).
 */
export async function ssoSignIn(
  world: SsoWorld,
  sub: string,
  options: { pages?: PageClient; alter?: (callback: URL) => URL } = {},
): Promise<{ pages: PageClient; callback: PageResponse }> {
  const pages = options.pages ?? pageClient(world.api.baseUrl);
  const start = await pages.get('/sign-in/oidc');
  if (start.status !== 303) throw new Error(`GET /sign-in/oidc: ${start.status} ${start.text.slice(0, 300)}`);
  let back = await throughProvider(world.idp, start.headers.get('location')!, sub);
  if (options.alter) back = options.alter(back);
  const callback = await pages.get(`${back.pathname}${back.search}`);
  return { pages, callback };
}
