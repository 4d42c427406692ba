// Unit tests of the web session: its absolute timeout and its cookie key.
import { describe, expect, it } from '@jest/globals';
import { sessionExpired, sessionSecret } from './web-session.js';

describe('web sessions', () => {
  it('end at the absolute timeout however active they are, and when the sign-in time is missing', () => {
    const hour = 3_600_000;
    expect(sessionExpired(0, 12 * hour - 1, 12 * hour)).toBe(false);
    expect(sessionExpired(0, 12 * hour, 12 * hour)).toBe(true);
    expect(sessionExpired(undefined, 1, 12 * hour)).toBe(true);
  });

  it('derive the cookie key from the token secret, the same in every process and never the secret itself', () => {
    const secret = 'x'.repeat(40);
    expect(sessionSecret(secret)).toBe(sessionSecret(secret));
    expect(sessionSecret(secret)).not.toBe(secret);
    expect(sessionSecret(secret)).not.toBe(sessionSecret('y'.repeat(40)));
  });
});
