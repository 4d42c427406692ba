// `npm run demo:oidc`: the demo identity provider on http://localhost:3100 with demo people in mapped groups, and the settings that make `npm start` use it.
import { startIdentityProvider, type DemoPerson } from './demo-identity-provider.js';

export const DEMO_OIDC_PORT = 3100;
export const DEMO_OIDC_ISSUER = `http://localhost:${DEMO_OIDC_PORT}`;
export const DEMO_OIDC_CLIENT_ID = 'followup-demo';
export const DEMO_OIDC_CLIENT_SECRET = 'demo-client-secret-not-for-production';

/** Groups of the demo people → role and forces (demo data's organisation codes). */
export const DEMO_GROUP_MAP = {
  'followup-merseyside-liaison': { role: 'liaison', forces: ['MERSEYSIDE'] },
  'followup-cheshire-liaison': { role: 'liaison', forces: ['CHESHIRE'] },
  'followup-managers': { role: 'manager', forces: 'all' },
  'followup-admins': { role: 'admin', forces: 'all' },
};

export const DEMO_PEOPLE: DemoPerson[] = [
  { sub: 'demo-sso-liaison', email: 'sam.okafor@merseyside.example.org', name: 'Sam Okafor', groups: ['followup-merseyside-liaison', 'all-staff'], description: 'liaison officer, Merseyside' },
  { sub: 'demo-sso-two-forces', email: 'jo.hale@cheshire.example.org', name: 'Jo Hale', groups: ['followup-merseyside-liaison', 'followup-cheshire-liaison'], description: 'liaison officer, Merseyside and Cheshire (two groups)' },
  { sub: 'demo-sso-manager', email: 'priya.shah@hmicfrs.example.org', name: 'Priya Shah', groups: ['followup-managers'], description: 'manager of every force' },
  { sub: 'demo-sso-unmapped', email: 'alex.reed@hmicfrs.example.org', name: 'Alex Reed', groups: ['all-staff'], description: 'in no mapped group: refused' },
];

/** The command that starts the tracker against the demo provider (what `npm start` and `npm run demo:oidc` print). */
export function demoOidcCommand(): string {
  return [
    `OIDC_ISSUER=${DEMO_OIDC_ISSUER}`,
    `OIDC_CLIENT_ID=${DEMO_OIDC_CLIENT_ID}`,
    `OIDC_CLIENT_SECRET=${DEMO_OIDC_CLIENT_SECRET}`,
    `OIDC_GROUP_MAP='${JSON.stringify(DEMO_GROUP_MAP)}'`,
    'npm start',
  ].join(' ');
}

async function main(): Promise<void> {
  const appBaseUrl = (process.env.APP_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const idp = await startIdentityProvider({
    port: DEMO_OIDC_PORT,
    issuer: DEMO_OIDC_ISSUER,
    people: DEMO_PEOPLE,
    clientId: DEMO_OIDC_CLIENT_ID,
    clientSecret: DEMO_OIDC_CLIENT_SECRET,
    redirectUris: [`${appBaseUrl}/sign-in/oidc/callback`],
    postLogoutRedirectUris: [`${appBaseUrl}/sign-in?signedOut=1`],
    backchannelLogoutUri: `${appBaseUrl}/sign-in/oidc/backchannel-logout`,
  });
  console.log(`[oidc] Demo identity provider on ${idp.issuer} (not a real one: it lets you choose a demo person)`);
  for (const p of DEMO_PEOPLE) console.log(`[oidc]   ${p.name}: ${p.description}`);
  console.log(`[oidc] In another terminal, start the tracker with single sign-on through it:`);
  console.log(`[oidc]   ${demoOidcCommand()}`);
  console.log(`[oidc] then open ${appBaseUrl}/sign-in and choose "Sign in with your organisation account". Ctrl+C stops the provider.`);
  const stop = () => void idp.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1]?.endsWith('demo-oidc.js')) void main();
