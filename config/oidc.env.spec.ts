// The single sign-on settings: off when unset, all four together, and a group map checked at start with one paragraph
// naming it.
import { describe, expect, it } from '@jest/globals';
import { startupProblem } from '#persistence';
import { type ConfigError, loadConfig } from './env.schema.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as ConfigError).problems;
  }
  return [];
};

const sso = {
  OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
  OIDC_CLIENT_ID: 'followup',
  OIDC_CLIENT_SECRET: 's3cret',
  OIDC_GROUP_MAP: '{"admins":{"role":"admin","forces":"all"}}',
};

describe('OIDC settings', () => {
  it('is off when unset, and reads the four settings with the groups claim defaulting to groups', () => {
    expect(loadConfig({}).oidc).toBeNull();
    const oidc = loadConfig(sso).oidc!;
    expect(oidc.issuer.href).toBe('https://login.example.org/tenant/v2.0');
    expect(oidc.groupsClaim).toBe('groups');
    expect(oidc.groupMap.get('admins')).toEqual({ role: 'admin', forces: 'all' });
    expect(oidc.allowHttp).toBe(false);
  });

  it('refuses some settings without the others, naming what is missing', () => {
    expect(problems({ OIDC_ISSUER: sso.OIDC_ISSUER })).toEqual([
      'OIDC_CLIENT_ID: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_GROUP_MAP set together (OIDC_ISSUER is set; OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_GROUP_MAP are not)',
    ]);
  });

  it('refuses a bad map in one paragraph naming the setting', () => {
    const [problem] = problems({ ...sso, OIDC_GROUP_MAP: '{"liaison-x":{"role":"liaison","forces":"all"}}' });
    expect(problem).toMatch(
      /^OIDC_GROUP_MAP: OIDC_GROUP_MAP gives group "liaison-x" \(liaison\) every force: a liaison officer belongs to named forces\. It must be a JSON object/,
    );
    expect(problem).not.toContain('\n');
  });

  it('stops the API at start-up with one paragraph naming OIDC_GROUP_MAP', async () => {
    const said = await startupProblem('The API', {
      ...sso,
      OIDC_GROUP_MAP: '{"managers":{"role":"manager","forces":["no spaces"]}}',
    });
    expect(said).toMatch(
      /^The API cannot start: its configuration is invalid\. OIDC_GROUP_MAP gives group "managers" the force "no spaces", which is not an organisation code .*To fix it, set OIDC_GROUP_MAP in the environment/,
    );
    expect(said).not.toContain('\n');
  });

  it('takes plain http only for a loopback issuer', () => {
    expect(problems({ ...sso, OIDC_ISSUER: 'http://idp.example.org' })[0]).toMatch(
      /^OIDC_ISSUER: OIDC_ISSUER must be an https:\/\/ URL/,
    );
    expect(loadConfig({ ...sso, OIDC_ISSUER: 'http://127.0.0.1:4010' }).oidc!.allowHttp).toBe(true);
  });
});
