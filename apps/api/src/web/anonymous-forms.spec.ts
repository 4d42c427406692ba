// The anonymous form token: a signature of its own cookie, refused from another site, another cookie or none.
import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { AnonymousFormTokens, FORM_COOKIE } from './anonymous-forms.js';

const request = (headers: Record<string, string> = {}) => ({ headers, secure: false }) as unknown as Request;

describe('AnonymousFormTokens', () => {
  const tokens = new AnonymousFormTokens('secret');

  it('issues a cookie once, then signs the same nonce', () => {
    const set: [string, string, object][] = [];
    const first = tokens.issue(request());
    first.setCookie!({
      cookie: (name: string, value: string, options: object) => set.push([name, value, options]),
    } as unknown as Response);
    expect(set).toEqual([
      [
        FORM_COOKIE,
        expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
        { httpOnly: true, sameSite: 'strict', secure: false, path: '/' },
      ],
    ]);
    const cookie = `${FORM_COOKIE}=${set[0][1]}`;
    const again = tokens.issue(request({ cookie }));
    expect([again.token, again.setCookie]).toEqual([first.token, undefined]);
    expect(tokens.verify(request({ cookie, 'sec-fetch-site': 'same-origin' }), first.token)).toBe(true);
    expect(tokens.verify(request({ cookie }), first.token)).toBe(true);
  });

  it('refuses another site, another cookie, no cookie, another key and a missing token', () => {
    const nonce = 'a'.repeat(24);
    const cookie = `${FORM_COOKIE}=${nonce}`;
    const { token } = tokens.issue(request({ cookie }));
    expect(tokens.verify(request({ cookie, 'sec-fetch-site': 'cross-site' }), token)).toBe(false);
    expect(tokens.verify(request({ cookie, 'sec-fetch-site': 'same-site' }), token)).toBe(false);
    expect(tokens.verify(request({ cookie: `${FORM_COOKIE}=${'b'.repeat(24)}` }), token)).toBe(false);
    expect(tokens.verify(request(), token)).toBe(false);
    expect(new AnonymousFormTokens('other').verify(request({ cookie }), token)).toBe(false);
    expect(tokens.verify(request({ cookie }), undefined)).toBe(false);
  });
});
