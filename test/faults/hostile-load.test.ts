// Hostile load on the production API process: parallel large bodies, cut-off and oversized uploads and an anonymous
// page flood at once; /health stays quick, memory flat, and Redis holds no session for anyone anonymous.
import { describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { faultEnvFor } from '../support/fault-env.js';
import {
  multipartBody,
  pageCsrfToken,
  pageSignIn,
  percentile,
  raw,
  rssMb,
  sessionKeyCount,
  startHealthProbe,
  type RawAnswer,
} from '../support/hostile-http.js';

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
    const prefix = env.workerEnv.QUEUE_PREFIX;
    const admin = await env.user('admin');
    const session = await pageSignIn(base, admin.email, TEST_PASSWORD);
    const csrf = await pageCsrfToken(base, '/import', session);
    const signedUpload = (
      parts: Parameters<typeof multipartBody>[0],
      options: { truncate?: boolean; cutAfter?: number } = {},
    ) => {
      const { body, contentType } = multipartBody(parts, options.truncate);
      return raw(`${base}/import?_csrf=${encodeURIComponent(csrf)}`, {
        headers: { ...page, 'content-type': contentType, cookie: session },
        body,
        cutAfter: options.cutAfter,
      });
    };
    const csv19 = Buffer.alloc(19 * MB, 'a,b,c\n');
    const field15 = Buffer.alloc(15 * MB, 'x');
    const file4 = Buffer.alloc(4 * MB, 'r');
    const file11 = Buffer.alloc(11 * MB, 'r');
    const round = () =>
      Promise.all([
        // Parallel large bodies of a type the route does not take.
        pool(6, 6, () => raw(`${base}/auth/login`, { headers: { 'content-type': 'text/csv' }, body: csv19 })),
        // Anonymous uploads: 15 MB of junk called multipart, and three 15 MB fields.
        pool(2, 2, () =>
          raw(`${base}/import`, {
            headers: { ...page, 'content-type': 'multipart/form-data; boundary=x' },
            body: field15,
          }),
        ),
        pool(6, 6, () => {
          const { body, contentType } = multipartBody(['a', 'b', 'c'].map((name) => ({ name, value: field15 })));
          return raw(`${base}/import`, { headers: { ...page, 'content-type': contentType }, body });
        }),
        // Signed-in uploads: cut off before the closing boundary, the client gone mid-file, a file too large.
        pool(6, 3, () =>
          signedUpload(
            [
              { name: 'title', value: 'T' },
              { name: 'csvFile', filename: 'r.csv', value: file4 },
            ],
            { truncate: true },
          ),
        ),
        pool(3, 3, () => signedUpload([{ name: 'csvFile', filename: 'r.csv', value: file4 }], { cutAfter: MB })),
        pool(3, 3, () => signedUpload([{ name: 'csvFile', filename: 'r.csv', value: file11 }])),
        // An anonymous page flood, two at a time: what it checks is that no view leaves a session behind; more at
        // once only measures how many pages two shared cores can render, which queues /health behind them.
        pool(300, 2, async (i) => {
          const answer = await raw(`${base}${['/register', '/sign-in', '/', '/inspections', '/no-such-page'][i % 5]}`, {
            method: 'GET',
            headers: page,
          });
          return { status: answer.status, cookies: [answer.headers['set-cookie'] ?? []].flat() };
        }),
      ]);

    // Two rounds of the same attack. The first warms the process (its heap grows to its working size, its
    // code is compiled); during the second /health is probed from another process, and memory is compared
    // between the end of the first and the end of the second.
    const sessionsBefore = await sessionKeyCount(prefix);
    await round();
    await new Promise((r) => setTimeout(r, 1_000));
    const rssBefore = rssMb(env.api.pid);
    const probe = await startHealthProbe(base, 20);
    const started = Date.now();
    const [logins, bareUploads, anonymousUploads, truncated, goneAway, oversized, flood] = await round();
    const attackMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 1_000));
    const probes = await probe.stop();
    const rssAfter = rssMb(env.api.pid);
    const sessionsAfter = await sessionKeyCount(prefix);
    const p99 = percentile(probes, 99);
    const tally = (answers: { status: number }[]) =>
      answers.reduce<Record<number, number>>((t, a) => ({ ...t, [a.status]: (t[a.status] ?? 0) + 1 }), {});
    console.log(
      [
        `hostile load, second round: ${attackMs} ms; /health p50 ${Math.round(percentile(probes, 50))} ms, p99 ${Math.round(p99)} ms, max ${Math.round(Math.max(...probes))} ms over ${probes.length} probes`,
        `API RSS ${rssBefore} MB after round 1, ${rssAfter} MB after round 2; web sessions in Redis ${sessionsBefore} before, ${sessionsAfter} after`,
        `round 2: 19 MB CSV logins ${JSON.stringify(tally(logins))}, anonymous uploads ${JSON.stringify(tally([...bareUploads, ...anonymousUploads]))}, cut off ${JSON.stringify(tally(truncated))}, client gone ${JSON.stringify(tally(goneAway))}, 11 MB file ${JSON.stringify(tally(oversized))}, page flood ${JSON.stringify(tally(flood))}`,
      ].join('\n'),
    );

    const refusedOrClosed = (answers: RawAnswer[], status: number) =>
      answers.every((a) => a.status === status || a.status === 0);
    expect(refusedOrClosed(logins, 415)).toBe(true);
    expect(refusedOrClosed([...bareUploads, ...anonymousUploads], 403)).toBe(true);
    expect(tally(truncated)).toEqual({ 400: 6 });
    expect(refusedOrClosed(oversized, 413)).toBe(true);
    // No session cookie for anyone (the sign-in page sets only its form cookie).
    expect(
      flood.filter((a) => a.status === 0 || a.status >= 500 || a.cookies.some((c) => c.startsWith('followup.sid='))),
    ).toEqual([]);
    expect(p99).toBeLessThan(200);
    expect(rssAfter - rssBefore).toBeLessThan(64);
    expect(sessionsAfter).toBe(sessionsBefore);
    expect(attackMs).toBeLessThan(60_000);
  }, 120_000);
});
