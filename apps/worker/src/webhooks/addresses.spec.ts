// Which addresses count as non-public for webhooks: loopback, private, link-local and IPv4-mapped forms.
import { describe, expect, it } from '@jest/globals';
import { isNonPublicAddress } from './addresses.js';

describe('isNonPublicAddress', () => {
  it('refuses loopback, private, link-local and mapped forms, and allows public addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      'not-an-ip',
    ]) {
      expect([a, isNonPublicAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['8.8.8.8', '151.101.1.1', '2a00:1450:4009:81f::200e'])
      expect([a, isNonPublicAddress(a)]).toEqual([a, false]);
  });
});
