// A small OpenID provider (oidc-provider, certified) on loopback: `npm run demo:oidc` to try single sign-on locally,
// and the tests' real identity provider.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface DemoPerson {
  /** The provider's stable id for the person (the ID token's `sub`). */
  sub: string;
  email: string;
  name: string;
  groups: string[];
  /** Shown on the sign-in page: what the groups make of them. */
  description?: string;
}

export interface IdentityProviderOptions {
  port?: number;
  /** The issuer URL (default http://127.0.0.1:<port>). */
  issuer?: string;
  people: DemoPerson[];
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string;
}

export interface IdentityProvider {
  issuer: string;
  people: DemoPerson[];
  /**
   * Tests: rewrite the next ID tokens' claims (re-signed with the provider's own key), to play a tampered or
   * misdirected token.
   */
  tamper: ((claims: Record<string, unknown>) => Record<string, unknown>) | null;
  /** Tests: the last ID token re-signed by `tamper`. */
  lastTamperedToken: string | null;
  /** Tests: sign in as this person without the page (the form still works when null). */
  autoSignIn: string | null;
  /** Sends the client a back-channel logout token for the person, as the provider does when they sign out there. */
  backchannelLogout(sub: string): Promise<void>;
  close(): Promise<void>;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function signInPage(uid: string, people: readonly DemoPerson[]): string {
  const buttons = people
    .map(
      (p) =>
        `<li><form method="post" action="/interaction/${uid}/login"><input type="hidden" name="sub" value="${escape(p.sub)}"><button type="submit">Sign in as ${escape(p.name)}</button> ${escape(p.description ?? p.groups.join(', '))}</form></li>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo identity provider</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto"><h1>Demo identity provider</h1>
<p>Not a real organisation account: choose a demo person to sign in as.</p><ul>${buttons}</ul></body></html>`;
}

const readForm = (req: IncomingMessage): Promise<URLSearchParams> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });

/** Starts the provider; its one client is this service (client_secret_basic, PKCE, back-channel logout when given). */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: 'demo-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = options.issuer ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Looked up at each use, so a test may add people or change their groups while the provider runs.
  const byId = {
    get: (sub: string) => options.people.find((p) => p.sub === sub),
    has: (sub: string) => options.people.some((p) => p.sub === sub),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        ...(options.backchannelLogoutUri
          ? { backchannel_logout_uri: options.backchannelLogoutUri, backchannel_logout_session_required: false }
          : {}),
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ['demo-identity-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // The groups in the ID token itself, as the usual providers do (Entra ID's `groups`, Keycloak's mapper).
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const person = byId.get(id);
      return person
        ? {
            accountId: id,
            claims: () => ({
              sub: id,
              email: person.email,
              email_verified: true,
              name: person.name,
              groups: person.groups,
            }),
          }
        : undefined;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  const handler = provider.callback();
  const idp: IdentityProvider = {
    issuer,
    people: options.people,
    tamper: null,
    lastTamperedToken: null,
    autoSignIn: null,
    async backchannelLogout(sub: string) {
      const client = await provider.Client.find(options.clientId);
      await client!.backchannelLogout(sub, 'demo-session');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const finish = async (req: IncomingMessage, res: ServerResponse, sub: string) => {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: sub, clientId: options.clientId });
    grant.addOIDCScope(String((details.params.scope as string | undefined) ?? 'openid'));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub }, consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: false },
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (interaction) {
      void (async () => {
        if (req.method === 'POST' && interaction[2]) {
          const sub = (await readForm(req)).get('sub') ?? '';
          if (!byId.has(sub)) return void res.writeHead(400).end('unknown person');
          return finish(req, res, sub);
        }
        if (idp.autoSignIn) return finish(req, res, idp.autoSignIn);
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(signInPage(interaction[1], options.people));
      })().catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500).end(error.message);
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token' && idp.tamper)
      return tamperedToken(
        req,
        res,
        handler,
        idp.tamper,
        signingJwk,
        privateKey,
        (token) => (idp.lastTamperedToken = token),
      );
    handler(req, res);
  });
  return idp;
}

/**
 * Lets the provider answer the token request, then re-signs its ID token with changed claims (a validly signed but
 * wrong token).
 */
function tamperedToken(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tamper: (claims: Record<string, unknown>) => Record<string, unknown>,
  jwk: JWK,
  key: Parameters<SignJWT['sign']>[0],
  signed: (token: string) => void,
): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: Buffer | string) => (chunks.push(Buffer.from(chunk)), true)) as typeof res.write;
  res.end = ((chunk?: Buffer | string) => {
    if (chunk) chunks.push(Buffer.from(chunk));
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    void (async () => {
      if (typeof body.id_token === 'string') {
        const claims = tamper(decodeJwt(body.id_token));
        body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(key);
        signed(body.id_token as string);
      }
      const text = JSON.stringify(body);
      res.setHeader('content-length', Buffer.byteLength(text));
      write(text);
      end();
    })();
    return res;
  }) as typeof res.end;
  handler(req, res);
}
