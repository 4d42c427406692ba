// The log mask: every listed secret path part and query value is replaced, nothing else is touched.
import { describe, expect, it } from '@jest/globals';
import { MASK, maskingStream, maskSecrets } from './secret-paths.js';

describe('maskSecrets', () => {
  it.each([
    ['GET /calendar/abcDEF123_-x.ics', `GET /calendar/${MASK}`],
    ['{"req":{"url":"/calendar/tok3n.ics?x=1"}}', `{"req":{"url":"/calendar/${MASK}?x=1"}}`],
    ['https://tracker.example/invitations/inv-token', `https://tracker.example/invitations/${MASK}`],
    ['"url":"/reset-password/r3set"', `"url":"/reset-password/${MASK}"`],
    ['POST /import?_csrf=abc%2Fdef&x=1', `POST /import?_csrf=${MASK}&x=1`],
    [
      'GET /sign-in/oidc/callback?code=c0de&state=st4te&iss=https%3A%2F%2Fidp',
      `GET /sign-in/oidc/callback?code=${MASK}&state=${MASK}&iss=https%3A%2F%2Fidp`,
    ],
  ])('masks %s', (line, masked) => {
    expect(maskSecrets(line)).toBe(masked);
  });

  it('leaves other paths alone', () => {
    for (const line of [
      'Mapped {/calendar/:file GET} route',
      'GET /account/calendar',
      'POST /account/calendar-link',
      'GET /recommendations/1?after=x',
    ])
      expect(maskSecrets(line)).toBe(line);
  });

  it('masks what passes through the log stream, and keeps its flush', () => {
    const written: string[] = [];
    let flushed = false;
    const stream = maskingStream({ write: (line: string) => written.push(line), flushSync: () => (flushed = true) });
    stream.write('{"msg":"GET /calendar/secret.ics"}\n');
    stream.flushSync();
    expect([written, flushed]).toEqual([[`{"msg":"GET /calendar/${MASK}"}\n`], true]);
  });
});
