// `npm start`'s single sign-on: the banner says exactly how to try it, and the printed command's settings with `npm run
// demo:oidc`'s provider and people work as described.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  DEMO_GROUP_MAP,
  DEMO_OIDC_CLIENT_ID,
  DEMO_OIDC_CLIENT_SECRET,
  DEMO_OIDC_ISSUER,
  DEMO_PEOPLE,
  demoOidcCommand,
  singleSignOnBanner,
} from '../../scripts/demo-oidc-settings.js';
import { startIdentityProvider, type IdentityProvider } from '../../scripts/demo-identity-provider.js';
import { freePort } from '../../scripts/local-services.js';
import { startApi, type RunningApi } from '../support/api-harness.js';
import { pageClient } from '../support/page-client.js';

/** The settings of the printed command, as the shell would pass them. */
function settingsOf(command: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const match of command.matchAll(/(OIDC_[A-Z_]+)=('([^']*)'|(\S+))/g)) settings[match[1]] = match[3] ?? match[4];
  return settings;
}

describe('single sign-on in the demo (npm start, npm run demo:oidc)', () => {
  let api: RunningApi;
  let idp: IdentityProvider;
  let db: pg.Client;

  beforeAll(async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // The demo provider's people and client, on a free port here (npm run demo:oidc uses 3100).
    idp = await startIdentityProvider({
      people: DEMO_PEOPLE,
      clientId: DEMO_OIDC_CLIENT_ID,
      clientSecret: DEMO_OIDC_CLIENT_SECRET,
      redirectUris: [`${baseUrl}/sign-in/oidc/callback`],
    });
    api = await startApi(
      { ...settingsOf(demoOidcCommand()), OIDC_ISSUER: idp.issuer, APP_BASE_URL: baseUrl },
      { port },
    );
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
    for (const [name, code] of [
      ['Merseyside Police', 'MERSEYSIDE'],
      ['Cheshire Constabulary', 'CHESHIRE'],
    ])
      await api.createOrganisation({ name, code });
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
    await idp?.close();
  });

  it('says exactly how to try it when OIDC_ISSUER is unset, and where it goes when set', () => {
    const lines = singleSignOnBanner({}, 'http://localhost:3000').join('\n');
    expect(lines).toContain('npm run demo:oidc');
    expect(lines).toContain(DEMO_OIDC_ISSUER);
    expect(lines).toContain(`OIDC_GROUP_MAP='${JSON.stringify(DEMO_GROUP_MAP)}' npm start`);
    expect(settingsOf(demoOidcCommand())).toEqual({
      OIDC_ISSUER: DEMO_OIDC_ISSUER,
      OIDC_CLIENT_ID: DEMO_OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET: DEMO_OIDC_CLIENT_SECRET,
      OIDC_GROUP_MAP: JSON.stringify(DEMO_GROUP_MAP),
    });
    expect(singleSignOnBanner({ OIDC_ISSUER: 'https://login.example.org' }, 'http://localhost:3000')).toEqual([
      '  Single sign-on  through https://login.example.org: "Sign in with your organisation account" on http://localhost:3000/sign-in',
    ]);
  });

  /** Through the demo provider's own page: its form for each demo person. */
  async function signInAs(name: string) {
    const pages = pageClient(api.baseUrl);
    const cookies = new Map<string, string>();
    const visit = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      });
      for (const line of response.headers.getSetCookie())
        cookies.set(line.split(';')[0].split('=')[0], line.split(';')[0].split('=').slice(1).join('='));
      return response;
    };
    let url = new URL((await pages.get('/sign-in/oidc')).headers.get('location')!);
    let response = await visit(url.href);
    url = new URL(response.headers.get('location')!, url);
    const page = await (await visit(url.href)).text();
    expect(page).toContain('Demo identity provider');
    const form = new RegExp(
      `action="([^"]+)"><input type="hidden" name="sub" value="([^"]+)"><button type="submit">Sign in as ${name}<`,
    ).exec(page)!;
    response = await visit(new URL(form[1], url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `sub=${form[2]}`,
    });
    while (response.headers.get('location') && !response.headers.get('location')!.includes('/sign-in/oidc/callback')) {
      url = new URL(response.headers.get('location')!, url);
      response = await visit(url.href);
    }
    const back = new URL(response.headers.get('location')!);
    return { pages, callback: await pages.get(`${back.pathname}${back.search}`) };
  }

  const account = async (email: string) =>
    (
      await db.query(
        `SELECT u.role, u.all_organisations, coalesce((SELECT array_agg(o.code ORDER BY o.code) FROM user_organisations uo JOIN organisations o ON o.id = uo.organisation_id WHERE uo.user_id = u.id), '{}') AS codes FROM users u WHERE email = $1`,
        [email],
      )
    ).rows[0];

  it('lets each demo person in as described, and refuses the one in no mapped group', async () => {
    expect((await signInAs('Sam Okafor')).callback.status).toBe(303);
    expect(await account('sam.okafor@merseyside.example.org')).toEqual({
      role: 'liaison',
      all_organisations: false,
      codes: ['MERSEYSIDE'],
    });
    expect((await signInAs('Jo Hale')).callback.status).toBe(303);
    expect(await account('jo.hale@cheshire.example.org')).toEqual({
      role: 'liaison',
      all_organisations: false,
      codes: ['CHESHIRE', 'MERSEYSIDE'],
    });
    expect((await signInAs('Priya Shah')).callback.status).toBe(303);
    expect(await account('priya.shah@hmicfrs.example.org')).toEqual({
      role: 'manager',
      all_organisations: true,
      codes: [],
    });
    const refused = await signInAs('Alex Reed');
    expect(refused.callback.status).toBe(403);
    expect(await account('alex.reed@hmicfrs.example.org')).toBeUndefined();
  });
});
