// TRUST_PROXY and QUEUE_DASHBOARD_ACTIONS: what start-up accepts and refuses, and the values Express gets.
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './env.schema.js';
import { configProblems as problemsOf } from '../test/support/config-problems.js';

describe('TRUST_PROXY', () => {
  it('defaults to loopback', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback');
  });

  it.each([
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['loopback, 10.1.2.3, fd00::/8', 'loopback, 10.1.2.3, fd00::/8'],
  ])('accepts %s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['true', 'everyone', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/8/8', '-1'])(
    'refuses %s, naming the variable',
    (value) => {
      const problems = problemsOf({ TRUST_PROXY: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY: /);
    },
  );
});

describe('QUEUE_DASHBOARD_ACTIONS and LOGIN_ACCOUNT_MAX_FAILURES', () => {
  it('keeps the dashboard read-only unless told otherwise', () => {
    expect(loadConfig({}).env.QUEUE_DASHBOARD_ACTIONS).toBe(false);
    expect(loadConfig({ QUEUE_DASHBOARD_ACTIONS: 'true' }).env.QUEUE_DASHBOARD_ACTIONS).toBe(true);
    expect(problemsOf({ QUEUE_DASHBOARD_ACTIONS: 'yes' })[0]).toMatch(/^QUEUE_DASHBOARD_ACTIONS: /);
  });

  it('limits an account to 50 failures from all addresses by default', () => {
    expect(loadConfig({}).env.LOGIN_ACCOUNT_MAX_FAILURES).toBe(50);
    expect(problemsOf({ LOGIN_ACCOUNT_MAX_FAILURES: '0' })[0]).toMatch(/^LOGIN_ACCOUNT_MAX_FAILURES: /);
  });
});
