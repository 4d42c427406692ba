import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './env.schema.js';

describe('web session settings', () => {
  it('default to 30 minutes idle and 12 hours absolute', () => {
    const config = loadConfig({});
    expect([config.sessionIdleMs, config.sessionAbsoluteMs]).toEqual([30 * 60_000, 12 * 3_600_000]);
  });

  it('name the variable that is wrong', () => {
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'half an hour' })).toThrow('SESSION_IDLE_TIMEOUT must be an ISO 8601 duration');
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT0S' })).toThrow('SESSION_IDLE_TIMEOUT must be longer than zero');
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT2H', SESSION_ABSOLUTE_TIMEOUT: 'PT1H' })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: 'PT2H', SESSION_ABSOLUTE_TIMEOUT: 'PT1H' })).toThrow('SESSION_ABSOLUTE_TIMEOUT must be at least SESSION_IDLE_TIMEOUT');
  });
});
