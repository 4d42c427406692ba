// Hostile load on the production API process (issue 16, "Done when"): parallel large bodies, cut-off and oversized uploads and an anonymous page flood at once; /health stays quick, memory flat, and Redis holds no session for anyone anonymous.
import { describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { faultEnvFor } from '../support/fault-env.js';
import { multipartBody, pageCsrfToken, pageSignIn, percentile, probeHealth, raw, rssMb, sessionKeyCount, type RawAnswer } from '../support/hostile-http.js';

const MB = 1024 * 1024;
const page = { accept: 'text/html' };

/** `count` calls of `task`, at most `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe('hostile load', () => {
  const faults = faultEnvFor('hostile-load');

  it('keeps /health under 200 ms at p99, memory flat and Redis free of anonymous sessions', async () => {
    const { env } = faults;
    const base = env.apiUrl;
    const prefix = env.workerEnv.QUEUE_PREFIX!;
    const admin = await env.user('admin');
    const session = await pageSignIn(base, admin.email, TEST_PASSWORD);
    const csrf = await pageCsrfToken(base, '/import', session);
    const signedUpload = (parts: Parameters<typeof multipartBody>[0], options: { truncate?: boolean; cutAfter?: number } = {}) => {
      const { body, contentType } = multipartBody(parts, options.truncate);
      return raw(`${base}/import?_csrf=${encodeURIComponent(csrf)}`, { headers: { ...page, 'content-type': contentType, cookie: session }, body, cutAfter: options.cutAfter });
    };
    // Warm: every kind of request once, so that what is measured is growth, not first use.
    for (const path of ['/register', '/sign-in', '/health']) await (await fetch(`${base}${path}`, { headers: page })).arrayBuffer();
    await signedUpload([{ name: 'csvFile', filename: 'w.csv', value: 'reference,text\n1,One\n' }], { truncate: true });
    const rssBefore = rssMb(env.api.pid);
    const sessionsBefore = await sessionKeyCount(prefix);

    const csv19 = Buffer.alloc(19 * MB, 'a,b,c\n');
    const field15 = Buffer.alloc(15 * MB, 'x');
    const file4 = Buffer.alloc(4 * MB, 'r');
    const file11 = Buffer.alloc(11 * MB, 'r');
    const started = Date.now();
    const attack = Promise.all([
      // Parallel large bodies of a type the route does not take.
      pool(16, 8, () => raw(`${base}/auth/login`, { headers: { 'content-type': 'text/csv' }, body: csv19 })),
      // Anonymous uploads: 15 MB of junk called multipart, and three 15 MB fields.
      pool(8, 8, () => raw(`${base}/import`, { headers: { ...page, 'content-type': 'multipart/form-data; boundary=x' }, body: field15 })),
      pool(8, 8, () => {
        const { body, contentType } = multipartBody(['a', 'b', 'c'].map((name) => ({ name, value: field15 })));
        return raw(`${base}/import`, { headers: { ...page, 'content-type': contentType }, body });
      }),
      // Signed-in uploads: cut off before the closing boundary, the client gone mid-file, a file too large.
      pool(8, 4, () => signedUpload([{ name: 'title', value: 'T' }, { name: 'csvFile', filename: 'r.csv', value: file4 }], { truncate: true })),
      pool(8, 4, () => signedUpload([{ name: 'csvFile', filename: 'r.csv', value: file4 }], { cutAfter: MB })),
      pool(4, 2, () => signedUpload([{ name: 'csvFile', filename: 'r.csv', value: file11 }])),
      // An anonymous page flood.
      pool(600, 20, async (i) => {
        const response = await fetch(`${base}${['/register', '/sign-in', '/', '/inspections', '/no-such-page'][i % 5]}`, { headers: page, redirect: 'manual' });
        await response.arrayBuffer();
        return { status: response.status, cookies: response.headers.getSetCookie() };
      }),
    ]);
    const probes = await probeHealth(base, Promise.all([attack, new Promise((r) => setTimeout(r, 3_000))]), 20);
    const [logins, bareUploads, anonymousUploads, truncated, goneAway, oversized, flood] = await attack;
    const attackMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 2_000));
    const rssAfter = rssMb(env.api.pid);
    const sessionsAfter = await sessionKeyCount(prefix);
    const p99 = percentile(probes, 99);
    const tally = (answers: { status: number }[]) => answers.reduce<Record<number, number>>((t, a) => ({ ...t, [a.status]: (t[a.status] ?? 0) + 1 }), {});
    console.log(
      [
        `hostile load: ${attackMs} ms; /health p50 ${Math.round(percentile(probes, 50))} ms, p99 ${Math.round(p99)} ms, max ${Math.round(Math.max(...probes))} ms over ${probes.length} probes`,
        `API RSS ${rssBefore} MB before, ${rssAfter} MB after; web sessions in Redis ${sessionsBefore} before, ${sessionsAfter} after`,
        `19 MB CSV logins ${JSON.stringify(tally(logins))}, anonymous uploads ${JSON.stringify(tally([...bareUploads, ...anonymousUploads]))}, cut off ${JSON.stringify(tally(truncated))}, client gone ${JSON.stringify(tally(goneAway))}, 11 MB file ${JSON.stringify(tally(oversized))}, page flood ${JSON.stringify(tally(flood))}`,
      ].join('\n'),
    );

    const refusedOrClosed = (answers: RawAnswer[], status: number) => answers.every((a) => a.status === status || a.status === 0);
    expect(refusedOrClosed(logins, 415)).toBe(true);
    expect(refusedOrClosed([...bareUploads, ...anonymousUploads], 403)).toBe(true);
    expect(tally(truncated)).toEqual({ 400: 8 });
    expect(refusedOrClosed(oversized, 413)).toBe(true);
    expect(flood.filter((a) => a.status >= 500 || a.cookies.length > 0)).toEqual([]);
    expect(p99).toBeLessThan(200);
    expect(rssAfter - rssBefore).toBeLessThan(64);
    expect(sessionsAfter).toBe(sessionsBefore);
    expect(attackMs).toBeLessThan(60_000);
  }, 120_000);
});
