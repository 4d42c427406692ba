// The evidence settings: defaults, the scan mode each combination gives, production refusing uploads without a scanner,
// and errors naming the setting.
import { describe, expect, it } from '@jest/globals';
import { type ConfigError, loadConfig } from './env.schema.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('evidence settings', () => {
  it('defaults to a local folder under .local, 50 MB, ten scan attempts and six years', () => {
    const { evidence } = loadConfig({});
    expect(evidence.storeUrl).toMatch(/^file:\/\/.*\/\.local\/evidence$/);
    expect(evidence).toMatchObject({
      maxBytes: 50 * 1024 * 1024,
      scanAttempts: 10,
      retention: 'P6Y',
      presign: false,
      scan: 'missing',
      uploadsRefused: false,
    });
  });

  it('scans with clamd when CLAMAV_URL is set, not at all with EVIDENCE_SCAN=off', () => {
    expect(loadConfig({ CLAMAV_URL: 'tcp://127.0.0.1:3310' }).evidence.scan).toBe('clamd');
    expect(loadConfig({ CLAMAV_URL: 'tcp://127.0.0.1:3310', EVIDENCE_SCAN: 'off' }).evidence.scan).toBe('off');
  });

  it('refuses uploads in production without a scanner, unless scanning is switched off on purpose', () => {
    const production = { NODE_ENV: 'production', AUDIT_KEY: 'x'.repeat(40) };
    expect(loadConfig(production).evidence.uploadsRefused).toBe(true);
    expect(loadConfig({ ...production, EVIDENCE_SCAN: 'off' }).evidence.uploadsRefused).toBe(false);
    expect(loadConfig({ ...production, CLAMAV_URL: 'tcp://clamd:3310' }).evidence.uploadsRefused).toBe(false);
  });

  it('names the setting in each error', () => {
    expect(problems({ EVIDENCE_STORE: 'ftp://x' })).toEqual([
      expect.stringMatching(/^EVIDENCE_STORE: EVIDENCE_STORE must be file/),
    ]);
    expect(problems({ EVIDENCE_STORE: 's3://?region=x' })).toEqual([expect.stringMatching(/^EVIDENCE_STORE/)]);
    expect(problems({ CLAMAV_URL: 'http://x:1' })).toEqual([
      expect.stringMatching(/^CLAMAV_URL: CLAMAV_URL must be tcp/),
    ]);
    expect(problems({ EVIDENCE_RETENTION: '6 years' })).toEqual([
      expect.stringMatching(/^EVIDENCE_RETENTION: EVIDENCE_RETENTION must be/),
    ]);
    expect(problems({ EVIDENCE_MAX_BYTES: '0' })).toEqual(['EVIDENCE_MAX_BYTES: EVIDENCE_MAX_BYTES must be positive']);
    expect(problems({ EVIDENCE_SCAN: 'maybe' })).toEqual(['EVIDENCE_SCAN: EVIDENCE_SCAN must be on or off']);
  });
});
