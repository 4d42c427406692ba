// The HTTP edge of the production API process: body types and sizes before anything is read, uploads only after
// identity and CSRF, no secrets in the log, sessions that end for good and never exist for anonymous visitors.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD, TEST_REDIS_URL, startApi, type RunningApi } from '../support/api-harness.js';
import { startApiProcess, stopApiProcess, type ApiProcess } from '../support/api-process.js';
import {
  cookiesSet,
  multipartBody,
  pageCsrfToken,
  pageSignIn,
  percentile,
  raw,
  rssMb,
  sessionKeyCount,
  startHealthProbe,
} from '../support/hostile-http.js';
import { waitUntil } from '../support/wait.js';
import { killAllWorkers } from '../support/worker-process.js';

const MB = 1024 * 1024;
const page = { accept: 'text/html' };

describe('HTTP edge of the API process', () => {
  let api: RunningApi;
  let proc: ApiProcess;
  let base: string;
  let uploads: string;

  beforeAll(async () => {
    api = await startApi();
    uploads = mkdtempSync(path.join(tmpdir(), 'edge-uploads-'));
    proc = await startApiProcess('edge', {
      DATABASE_URL: api.dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: api.queuePrefix,
      LOG_LEVEL: 'info',
      TMPDIR: uploads,
    });
    base = proc.baseUrl;
  }, 120_000);

  afterAll(async () => {
    await stopApiProcess(proc);
    await killAllWorkers();
    await api?.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  describe('request bodies', () => {
    it('refuses 19 MB text/csv bodies to POST /auth/login at once with 415, while /health keeps answering within 200 ms', async () => {
      const body = Buffer.alloc(19 * MB, 'a,b,c\n');
      const send = () => raw(`${base}/auth/login`, { headers: { 'content-type': 'text/csv' }, body });
      // Four rounds of two at once, while /health is probed every 20 ms (from another process) for at least three
      // seconds.
      const probe = await startHealthProbe(base, 20);
      const attack = (async () => {
        const answers = [];
        for (let round = 0; round < 4; round++) answers.push(...(await Promise.all([send(), send()])));
        return answers;
      })();
      await Promise.all([attack, new Promise((r) => setTimeout(r, 3_000))]);
      const probes = await probe.stop();
      const answers = await attack;
      const p99 = percentile(probes, 99);
      console.log(
        `19 MB text/csv to /auth/login x8: ${answers.map((a) => `${a.status} in ${Math.round(a.ms)} ms`).join(', ')}; /health p99 ${Math.round(p99)} ms over ${probes.length} probes (${probes.map(Math.round).join(' ')})`,
      );
      // The server may close before the client has finished writing: then no status arrives at all.
      for (const answer of answers) expect([415, 0]).toContain(answer.status);
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(5_000);
      expect(probes.length).toBeGreaterThanOrEqual(50);
      expect(p99).toBeLessThan(200);
      // A small one shows the answer itself.
      const small = await raw(`${base}/auth/login`, {
        headers: { 'content-type': 'text/csv' },
        body: Buffer.from('a,b\n'),
      });
      expect(small.status).toBe(415);
      expect(JSON.parse(small.body).message).toBe(
        'this route takes application/json or application/x-www-form-urlencoded, not text/csv',
      );
    }, 60_000);

    it('reads a CSV import only after the token, and only as text/csv', async () => {
      const csv = Buffer.alloc(5 * MB, 'x');
      const anonymous = await raw(`${base}/inspections/import`, { headers: { 'content-type': 'text/csv' }, body: csv });
      expect([401, 0]).toContain(anonymous.status);
      expect(anonymous.ms).toBeLessThan(2_000);
      const json = await raw(`${base}/inspections/import`, {
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokenFor(base, api.admin.email, api.admin.password)}`,
        },
        body: Buffer.from('{"a":1}'),
      });
      expect([json.status, JSON.parse(json.body).message]).toEqual([
        415,
        'this route takes text/csv, not application/json',
      ]);
      const plain = await raw(`${base}/sign-in`, {
        headers: { ...page, 'content-type': 'text/plain' },
        body: Buffer.from('email=a'),
      });
      expect(plain.status).toBe(415);
    });
  });

  describe('uploads', () => {
    let admin: string;
    let csrf: string;

    beforeAll(async () => {
      admin = await pageSignIn(base, api.admin.email, api.admin.password);
      csrf = await pageCsrfToken(base, '/import', admin);
    });

    const upload = (
      parts: Parameters<typeof multipartBody>[0],
      options: { cookie?: string; token?: string; truncate?: boolean; cutAfter?: number } = {},
    ) => {
      const { body, contentType } = multipartBody(parts, options.truncate);
      const query = options.token ? `?_csrf=${encodeURIComponent(options.token)}` : '';
      const headers: Record<string, string> = { ...page, 'content-type': contentType };
      if (options.cookie) headers.cookie = options.cookie;
      return raw(`${base}/import${query}`, { headers, body, cutAfter: options.cutAfter });
    };

    it('refuses eight anonymous 45 MB posts without reading them, and memory stays flat', async () => {
      const before = rssMb(proc.process.pid);
      const big = Buffer.alloc(15 * MB, 'x');
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => upload(['a', 'b', 'c'].map((name) => ({ name, value: big })))),
      );
      for (const answer of answers) expect([403, 0]).toContain(answer.status);
      const after = rssMb(proc.process.pid);
      console.log(`anonymous uploads: RSS ${before} MB before, ${after} MB after eight 45 MB posts`);
      expect(after - before).toBeLessThan(40);
    }, 60_000);

    it('checks the CSRF token before the body: a token only inside the multipart body is refused', async () => {
      const answer = await upload(
        [
          { name: '_csrf', value: csrf },
          { name: 'title', value: 'x' },
        ],
        { cookie: admin },
      );
      expect(answer.status).toBe(403);
    });

    it('answers a cut-off, oversized or unexpected upload with 400 or 413, never 500, and leaves no file behind', async () => {
      const file = { name: 'csvFile', filename: 'r.csv', value: 'reference,text\n1,One\n' };
      const cutOff = await upload([{ name: 'title', value: 'T' }, file], {
        cookie: admin,
        token: csrf,
        truncate: true,
      });
      expect([cutOff.status, cutOff.body]).toEqual([400, expect.stringContaining('The form could not be read')]);
      const tooLarge = await upload([{ ...file, value: Buffer.alloc(11 * MB, 'x') }], { cookie: admin, token: csrf });
      expect([tooLarge.status, tooLarge.body]).toEqual([413, expect.stringContaining('What you sent is too large')]);
      expect((await upload([{ name: 'colour', value: 'red' }], { cookie: admin, token: csrf })).status).toBe(400);
      expect((await upload([file, { ...file }], { cookie: admin, token: csrf })).status).toBe(413);
      expect(
        (await upload([{ name: 'title', value: 'x'.repeat(500_000) }], { cookie: admin, token: csrf })).status,
      ).toBe(413);
      const manyFields = Array.from({ length: 40 }, () => ({ name: 'title', value: 'x' }));
      expect((await upload(manyFields, { cookie: admin, token: csrf })).status).toBe(413);
      // A client that goes away mid-file: the process carries on.
      await upload([{ ...file, value: Buffer.alloc(4 * MB, 'x') }], { cookie: admin, token: csrf, cutAfter: 1 * MB });
      expect((await fetch(`${base}/health`)).status).toBe(200);
      // The form, sent properly, is read: its fields and file reach the form's own checks.
      const checked = await upload([{ name: 'action', value: 'check' }, { name: 'title', value: 'Edge' }, file], {
        cookie: admin,
        token: csrf,
      });
      expect([checked.status, checked.body]).toEqual([400, expect.stringContaining('Select the organisation')]);
      expect(checked.body).not.toContain('Select a CSV file');
      expect(checked.body).not.toContain('Enter the inspection title');
      // Each request's folder goes once its response is over (not awaited by the answer).
      await waitUntil('every upload folder removed', () =>
        readdirSync(uploads).every((name) => !name.startsWith('followup-upload-')),
      );
    }, 60_000);
  });

  it('never writes a calendar feed token or a CSRF token from a query string to the log', async () => {
    const token = `feedtoken${Date.now()}abcdef`;
    await (await fetch(`${base}/calendar/${token}.ics`)).arrayBuffer();
    await (await fetch(`${base}/import?_csrf=csrf${token}`, { method: 'POST', headers: page })).arrayBuffer();
    await proc.process.waitForLine(/"url":"\/calendar\/\[masked\]"/, 30_000);
    await proc.process.waitForLine(/_csrf=\[masked\]/, 30_000);
    expect(proc.process.lines.filter((line) => line.includes(token))).toEqual([]);
  });

  it("ends a deactivated person's web session for good: reactivating them does not bring it back", async () => {
    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    const session = await pageSignIn(base, liaison.email, TEST_PASSWORD);
    const home = () => fetch(`${base}/`, { headers: { ...page, cookie: session }, redirect: 'manual' });
    expect((await home()).status).toBe(200);
    const deactivated = await api.adminApi.patch(`/users/${liaison.id}`, { version: 1, active: false });
    expect(deactivated.status).toBe(200);
    // No request meanwhile: the session is only looked at after reactivation.
    expect(
      (await api.adminApi.patch(`/users/${liaison.id}`, { version: deactivated.body.version, active: true })).status,
    ).toBe(200);
    const after = await home();
    expect([after.status, after.headers.get('location')]).toEqual([303, '/sign-in']);
    expect((await home()).status).toBe(303);
    // Signing in again works.
    expect(await pageSignIn(base, liaison.email, TEST_PASSWORD)).toMatch(/^followup\.sid=/);
  });

  describe('sessions only for people signed in', () => {
    it('300 anonymous views of the register store no session and set no cookie', async () => {
      const before = await sessionKeyCount(api.queuePrefix);
      const answers = await Promise.all(
        Array.from({ length: 300 }, () => fetch(`${base}/register`, { headers: page })),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.headers.getSetCookie()).toEqual([]);
        await answer.arrayBuffer();
      }
      const refused = await fetch(`${base}/admin`, { headers: page, redirect: 'manual' });
      expect([refused.status, refused.headers.getSetCookie()]).toEqual([303, []]);
      expect(await sessionKeyCount(api.queuePrefix)).toBe(before);
    });

    it('the sign-in page sets only its form cookie; a sign-in without it is refused', async () => {
      const form = await fetch(`${base}/sign-in`, { headers: page });
      expect(cookiesSet(form.headers).map((c) => c.split('=')[0])).toEqual(['followup.form']);
      expect(form.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Strict/);
      const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
      const post = (cookie: string | undefined, site = 'same-origin') =>
        fetch(`${base}/sign-in`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            ...page,
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': site,
            ...(cookie ? { cookie } : {}),
          },
          body: new URLSearchParams({ _csrf: token, email: api.admin.email, password: api.admin.password }).toString(),
        });
      const before = await sessionKeyCount(api.queuePrefix);
      const withoutCookie = await post(undefined);
      expect([
        withoutCookie.status,
        cookiesSet(withoutCookie.headers).some((c) => c.startsWith('followup.sid=')),
      ]).toEqual([403, false]);
      const formCookie = cookiesSet(form.headers)[0];
      expect((await post(formCookie, 'cross-site')).status).toBe(403);
      expect(await sessionKeyCount(api.queuePrefix)).toBe(before);
      const signedIn = await post(formCookie);
      expect(signedIn.status).toBe(303);
      expect(await sessionKeyCount(api.queuePrefix)).toBe(before + 1);
    });

    it("a cross-site POST to /sign-out neither ends nor replaces the victim's session", async () => {
      const victim = await pageSignIn(base, api.admin.email, api.admin.password);
      const forged = await fetch(`${base}/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          ...page,
          cookie: victim,
          origin: 'https://attacker.example',
          'sec-fetch-site': 'cross-site',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: '',
      });
      expect([forged.status, forged.headers.getSetCookie()]).toEqual([403, []]);
      // As a browser sends it (SameSite=Lax: no cookie on a cross-site POST), nothing is set either.
      const bare = await fetch(`${base}/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...page, 'sec-fetch-site': 'cross-site' },
      });
      expect([bare.status, bare.headers.getSetCookie()]).toEqual([403, []]);
      expect((await fetch(`${base}/`, { headers: { ...page, cookie: victim }, redirect: 'manual' })).status).toBe(200);
    });
  });
});

/** A bearer token from the process itself (its signing secret is its own). */
async function tokenFor(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}
