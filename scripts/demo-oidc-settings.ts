// The demo identity provider's settings (no oidc-provider import: `npm start` prints them without loading the
// devDependency).
import type { DemoPerson } from './demo-identity-provider.js';

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
  {
    sub: 'demo-sso-liaison',
    email: 'sam.okafor@merseyside.example.org',
    name: 'Sam Okafor',
    groups: ['followup-merseyside-liaison', 'all-staff'],
    description: 'liaison officer, Merseyside',
  },
  {
    sub: 'demo-sso-two-forces',
    email: 'jo.hale@cheshire.example.org',
    name: 'Jo Hale',
    groups: ['followup-merseyside-liaison', 'followup-cheshire-liaison'],
    description: 'liaison officer, Merseyside and Cheshire (two groups)',
  },
  {
    sub: 'demo-sso-manager',
    email: 'priya.shah@hmicfrs.example.org',
    name: 'Priya Shah',
    groups: ['followup-managers'],
    description: 'manager of every force',
  },
  {
    sub: 'demo-sso-unmapped',
    email: 'alex.reed@hmicfrs.example.org',
    name: 'Alex Reed',
    groups: ['all-staff'],
    description: 'in no mapped group: refused',
  },
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

/** `npm start`'s banner line about single sign-on: where it goes when configured, or exactly how to try it. */
export function singleSignOnBanner(env: NodeJS.ProcessEnv, baseUrl: string): string[] {
  if (env.OIDC_ISSUER)
    return [
      `  Single sign-on  through ${env.OIDC_ISSUER}: "Sign in with your organisation account" on ${baseUrl}/sign-in`,
    ];
  return [
    '  Single sign-on  off (OIDC_ISSUER is unset). To try it with a demo identity provider and demo people:',
    `                  1. npm run demo:oidc        (in another terminal: the provider on ${DEMO_OIDC_ISSUER})`,
    `                  2. stop this, then: ${demoOidcCommand()}`,
  ];
}
