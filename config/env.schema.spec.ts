// Start-up refuses settings that would misbehave later: zero, negative and fractional durations, a lease shorter than a
// round.
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, longestSendingRoundMs } from './env.schema.js';
import { configProblems as problemsOf } from '../test/support/config-problems.js';

const DURATION_SETTINGS = [
  'SEND_LEASE',
  'RECONCILE_EVERY',
  'ESCALATE_AFTER',
  'ESCALATE_EVERY',
  'DIGEST_WINDOW',
  'JWT_TTL',
  'LOGIN_FAILURE_WINDOW',
];

describe('loadConfig: durations', () => {
  it('starts with nothing set, and the default lease outlasts the default round', () => {
    const config = loadConfig({});
    expect(config.sendLeaseMs).toBeGreaterThan(longestSendingRoundMs(config.env));
    expect(config.reminderOffsets).toEqual(['P14D', 'P7D', 'P1D']);
  });

  it.each([
    ['SEND_LEASE', 'PT-1M'],
    ['RECONCILE_EVERY', 'PT0S'],
    ['REMINDER_OFFSETS', 'P0.5D'],
    ['REMINDER_OFFSETS', 'P14D,P0D'],
    ['REMINDER_OFFSETS', 'P7D,-P1D'],
    ['ESCALATE_AFTER', 'P0D'],
    ['ESCALATE_EVERY', 'P0.5W'],
    ['DIGEST_WINDOW', 'P'],
    ['JWT_TTL', '-PT1H'],
    ['LOGIN_FAILURE_WINDOW', 'fifteen minutes'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: ${name} must be`));
  });

  it.each(DURATION_SETTINGS)('refuses a zero %s', (name) => {
    expect(problemsOf({ [name]: 'PT0S' })).toEqual([`${name}: ${name} must be longer than zero`]);
  });

  it('accepts what the domain accepts, in calendar and clock units', () => {
    const config = loadConfig({
      REMINDER_OFFSETS: 'P1M,P2W,PT36H',
      ESCALATE_AFTER: 'P1D',
      ESCALATE_EVERY: 'P1W',
      RECONCILE_EVERY: 'PT30S',
    });
    expect(config.reminderOffsets).toEqual(['P1M', 'P2W', 'PT36H']);
    expect(config.reconcileEveryMs).toBe(30_000);
    expect(loadConfig({ DIGEST_WINDOW: 'PT0.3S' }).digestWindowMs).toBe(300);
  });
});

describe('loadConfig: SEND_LEASE against the longest sending round', () => {
  it('is ceil(50 / SMTP_POOL_SIZE) × 4 × SMTP_TIMEOUT_MS', () => {
    expect(longestSendingRoundMs({ SMTP_POOL_SIZE: 5, SMTP_TIMEOUT_MS: 5000 })).toBe(200_000);
    expect(longestSendingRoundMs({ SMTP_POOL_SIZE: 50, SMTP_TIMEOUT_MS: 500 })).toBe(2000);
    expect(longestSendingRoundMs({ SMTP_POOL_SIZE: 7, SMTP_TIMEOUT_MS: 1000 })).toBe(32_000);
  });

  it('refuses a lease no longer than the round, and says the rule', () => {
    const [problem, ...rest] = problemsOf({ SEND_LEASE: 'PT2M', SMTP_POOL_SIZE: '5', SMTP_TIMEOUT_MS: '5000' });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^SEND_LEASE: SEND_LEASE must be longer than the longest sending round, 200 s/);
    expect(problemsOf({ SEND_LEASE: 'PT200S', SMTP_POOL_SIZE: '5', SMTP_TIMEOUT_MS: '5000' })).toHaveLength(1);
    expect(problemsOf({ SEND_LEASE: 'PT201S', SMTP_POOL_SIZE: '5', SMTP_TIMEOUT_MS: '5000' })).toEqual([]);
  });

  it('accepts a short lease when the round is short', () => {
    expect(loadConfig({ SEND_LEASE: 'PT3S', SMTP_POOL_SIZE: '50', SMTP_TIMEOUT_MS: '500' }).sendLeaseMs).toBe(3000);
  });

  it('reports a malformed lease once, as malformed', () => {
    expect(problemsOf({ SEND_LEASE: 'PT-1M' })).toEqual([
      'SEND_LEASE: SEND_LEASE must be a positive ISO 8601 duration in whole units (seconds may have a fraction), such as P7D or PT10S',
    ]);
  });
});

describe('web session settings', () => {
  it('default to 30 minutes idle and 12 hours absolute', () => {
    const config = loadConfig({});
    expect([config.sessionIdleMs, config.sessionAbsoluteMs]).toEqual([30 * 60_000, 12 * 3_600_000]);
  });

  it('name the variable that is wrong', () => {
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'half an hour' })).toThrow(
      'SESSION_IDLE_TIMEOUT must be a positive ISO 8601 duration',
    );
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT0S' })).toThrow('SESSION_IDLE_TIMEOUT must be longer than zero');
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT2H', SESSION_ABSOLUTE_TIMEOUT: 'PT1H' })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT2H', SESSION_ABSOLUTE_TIMEOUT: 'PT1H' })).toThrow(
      'SESSION_ABSOLUTE_TIMEOUT must be at least SESSION_IDLE_TIMEOUT',
    );
  });
});
