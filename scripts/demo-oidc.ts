// `npm run demo:oidc`: the demo identity provider on http://localhost:3100 with demo people in mapped groups; it prints
// the settings that make `npm start` use it.
import { startIdentityProvider } from './demo-identity-provider.js';
import {
  DEMO_OIDC_CLIENT_ID,
  DEMO_OIDC_CLIENT_SECRET,
  DEMO_OIDC_ISSUER,
  DEMO_OIDC_PORT,
  DEMO_PEOPLE,
  demoOidcCommand,
} from './demo-oidc-settings.js';

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
  console.log(
    `[oidc] then open ${appBaseUrl}/sign-in and choose "Sign in with your organisation account". Ctrl+C stops the provider.`,
  );
  const stop = () => void idp.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1]?.endsWith('demo-oidc.js')) void main();
