// The demo data that `npm start` loads: its shape, and seeding it through the real API process (the
// built dist/apps/api/main.js, as start-local runs it) on a fresh database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { DEMO_PASSWORD, demoDataset } from '../../scripts/demo-data.js';
import { type MailCatcher, startMailCatcher } from '../../scripts/local-services.js';
import { ApiClient, seedDemo, workingLogins } from '../../scripts/seed-demo.js';
import { TEST_REDIS_URL, type Schema, type Recommendation, type Organisation } from '../support/api-harness.js';
import { startApiProcess, stopApiProcess, type ApiProcess } from '../support/api-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const NOW = new Date();
const ADMIN = { email: 'admin@demo.followup', password: DEMO_PASSWORD };
/**
 * A Redis database of this file's own (emptied afterwards): the spawned API schedules real jobs, and no
 * other test's worker, nor a later `npm start`, may pick them up.
 */
const REDIS_DB = 15;
const redisUrl = () => Object.assign(new URL(TEST_REDIS_URL), { pathname: `/${REDIS_DB}` }).toString();

describe('demo dataset', () => {
  const data = demoDataset(NOW);
  const byOrg = (code: string) => data.inspections.find((i) => i.organisation === code)!;

  it('keeps Merseyside 2018 as reported: 19 recommendations, all but custody closed on evidence', () => {
    const merseyside = byOrg('MERSEYSIDE');
    expect(merseyside.publishedAt.slice(0, 10)).toBe('2018-08-30');
    expect(merseyside.recommendations).toHaveLength(19);
    const open = merseyside.recommendations.filter((r) => !r.followUp?.closure?.authorise);
    expect(open.map((r) => r.reference)).toEqual(['16']);
    expect(open[0].text).toMatch(/custody/);
    expect(open[0].followUp?.progress?.rag).toBe('red');
    for (const r of merseyside.recommendations.filter((x) => x !== open[0])) {
      expect(r.followUp!.closure!.evidence.length).toBeGreaterThan(0);
      expect(r.followUp!.closure!.authorise).toMatch(/Gormley/);
    }
  });

  it('dates the other sources as published and carries the Met priority recommendation', () => {
    expect(byOrg('NORTHANTS').publishedAt.slice(0, 10)).toBe('2018-07-26');
    const met = byOrg('MET');
    expect(met.publishedAt.slice(0, 10)).toBe('2024-08-15');
    expect(met.recommendations[0]).toMatchObject({ timeframe: 'immediately', priority: true });
  });

  it('places the fictional Cheshire inspection so that its deadlines are still ahead', () => {
    const cheshire = byOrg('CHESHIRE');
    const published = Date.parse(cheshire.publishedAt);
    expect(published).toBeLessThan(NOW.getTime());
    expect(published + 42 * 86_400_000).toBeGreaterThan(NOW.getTime());
    for (const r of cheshire.recommendations)
      if (r.dueAt) expect(Date.parse(r.dueAt)).toBeGreaterThan(NOW.getTime() + 14 * 86_400_000);
  });

  it('is consistent: unique references, leads are inspectors, liaisons belong to the force', () => {
    const users = new Map(data.users.map((u) => [u.email, u]));
    const codes = new Set(data.organisations.map((o) => o.code));
    for (const u of data.users) for (const code of u.organisations) expect(codes).toContain(code);
    for (const inspection of data.inspections) {
      const refs = inspection.recommendations.map((r) => r.reference);
      expect(new Set(refs).size).toBe(refs.length);
      expect(users.get(inspection.lead)?.role).toBe('inspector');
      expect(users.get(inspection.liaison)).toMatchObject({
        role: 'liaison',
        organisations: [inspection.organisation],
      });
    }
  });
});

describe('seedDemo through the HTTP API', () => {
  let db: TestDatabase, mail: MailCatcher, mailDir: string, api: ApiProcess, baseUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    mailDir = mkdtempSync(path.join(tmpdir(), 'followup-demo-mail-'));
    mail = await startMailCatcher({ forcePrivate: true, port: 0, dir: mailDir, log: () => {} });
    api = await startApiProcess('demo-seed', {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl(),
      SMTP_URL: mail.url,
      MAIL_FROM: 'followup@demo.followup',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEND_WINDOW: 'always',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // The demo's evidence PDFs in a folder of this test's own, kept unscanned on purpose (no scanner here).
      EVIDENCE_STORE: `file://${mailDir}/evidence`,
      EVIDENCE_SCAN: 'off',
    });
    baseUrl = api.baseUrl;
  }, 90_000);

  afterAll(async () => {
    await stopApiProcess(api);
    await mail?.stop();
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
    await db?.drop();
    const redis = new Redis(redisUrl());
    await redis.flushdb();
    redis.disconnect();
  }, 30_000);

  /** Runs the seed and stops it, as Ctrl+C would, at the first request `stopAt` picks. */
  async function interruptedSeed(stopAt: (method: string, url: string, count: number) => boolean): Promise<void> {
    const controller = new AbortController();
    const realFetch = globalThis.fetch;
    let count = 0;
    globalThis.fetch = ((input: string | URL, init?: RequestInit) => {
      count += 1;
      if (stopAt(init?.method ?? 'GET', String(input), count)) controller.abort(new Error('interrupted'));
      controller.signal.throwIfAborted();
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      await expect(
        seedDemo(baseUrl, ADMIN.email, ADMIN.password, { now: NOW, log: () => {}, signal: controller.signal }),
      ).rejects.toThrow('interrupted');
    } finally {
      globalThis.fetch = realFetch;
    }
  }

  it('completes a seed interrupted midway, then loads nothing twice', async () => {
    // Stopped once its people exist and before any inspection (a seed must resume from any point it was stopped at)...
    await interruptedSeed((method, url) => method === 'POST' && url.endsWith('/inspections'));
    const admin = await ApiClient.login(baseUrl, ADMIN.email, ADMIN.password);
    expect((await admin.list('/inspections')).length).toBe(0);
    // ...then again in the middle of an inspection's follow-ups.
    let transitions = 0;
    await interruptedSeed((method, url) => method === 'POST' && url.endsWith('/transitions') && ++transitions === 8);
    expect((await admin.list('/inspections')).length).toBe(1);

    const first = await seedDemo(baseUrl, ADMIN.email, ADMIN.password, { now: NOW, log: () => {} });
    expect(first).toEqual({ seeded: true, inspections: 5, recommendations: 37 });
    const second = await seedDemo(baseUrl, ADMIN.email, ADMIN.password, { now: NOW, log: () => {} });
    expect(second).toEqual({ seeded: false, inspections: 5, recommendations: 37 });

    expect((await admin.list('/organisations')).map((o) => o.code).sort()).toEqual([
      'CHESHIRE',
      'MERSEYSIDE',
      'MET',
      'NORTHANTS',
    ]);
    const inspections = await admin.list('/inspections');
    expect(inspections.map((i) => i.title).sort()).toEqual(
      demoDataset(NOW)
        .inspections.map((i) => i.title)
        .sort(),
    );
    expect(await admin.list('/recommendations')).toHaveLength(37);
    // One draft, for a person to publish: the administrator sees it, Cheshire's liaison officer does not.
    const drafts = inspections.filter((i) => i.draft);
    expect(drafts.map((i) => i.title)).toEqual(
      demoDataset(NOW)
        .inspections.filter((i) => i.draft)
        .map((i) => i.title),
    );
    const cheshire = await ApiClient.login(baseUrl, 'liaison.cheshire@demo.followup', DEMO_PASSWORD);
    expect((await cheshire.list('/inspections')).map((i) => i.id)).not.toContain(drafts[0].id);
    // Every demo login works.
    const logins = [
      { email: ADMIN.email, password: ADMIN.password },
      ...demoDataset(NOW).users.map((u) => ({ email: u.email, password: DEMO_PASSWORD })),
    ];
    expect([...(await workingLogins(baseUrl, logins))].sort()).toEqual(logins.map((l) => l.email).sort());
  }, 180_000);

  it('lets the demo managers and liaison staff make personal API tokens (an installation allows nobody until an administrator does)', async () => {
    const admin = await ApiClient.login(baseUrl, ADMIN.email, ADMIN.password);
    expect(await admin.get('/api-token-settings')).toMatchObject({ allowedRoles: ['manager', 'liaison'] });
    const manager = await ApiClient.login(baseUrl, 'manager@demo.followup', DEMO_PASSWORD);
    const { token } = await manager.post<{ token: string }>('/users/me/api-tokens', {
      name: 'Demo',
      scope: 'read-only',
    });
    expect((await new ApiClient(baseUrl, token).get('/users/me')).email).toBe('manager@demo.followup');
  });

  it('leaves Merseyside with 18 closed on evidence and the custody recommendation open, red and overdue', async () => {
    const manager = await ApiClient.login(baseUrl, 'manager@demo.followup', DEMO_PASSWORD);
    const merseyside = (await manager.list<Organisation>('/organisations')).find((o) => o.code === 'MERSEYSIDE')!;
    const recs = await manager.list<Recommendation>(`/recommendations?organisationId=${merseyside.id}`);
    expect(recs).toHaveLength(19);
    const closed = recs.filter((r) => r.status === 'closed');
    expect(closed).toHaveLength(18);
    expect(closed.every((r) => r.outcome === 'implemented' && !r.overdue)).toBe(true);
    const open = recs.find((r) => r.reference === '16')!;
    expect(open).toMatchObject({ status: 'planned', rag: 'red', overdue: true, overdueReason: 'due_date' });

    const history = (await manager.get(`/recommendations/${closed[0].id}`)).history as {
      action: string;
      comment: string | null;
    }[];
    expect(history.map((h) => h.action).slice(-4)).toEqual([
      'submit_plan',
      'evidence_uploaded',
      'propose_closure',
      'authorise_closure',
    ]);
    expect(history.at(-1)!.comment).toMatch(/Gormley/);

    // Each closed recommendation carries its evidence pack as one PDF, cited by the closure proposal.
    for (const rec of closed) {
      const files = await manager.get<Schema<'EvidenceFileResponse'>[]>(`/recommendations/${rec.id}/evidence/files`);
      expect(files).toEqual([
        expect.objectContaining({
          type: 'application/pdf',
          name: `Evidence pack, recommendation ${rec.reference}.pdf`,
          downloadable: true,
        }),
      ]);
      const detail = await manager.get<Schema<'RecommendationDetailResponse'>>(`/recommendations/${rec.id}`);
      expect(detail.evidence[0].fileIds).toEqual([files[0].id]);
    }
  });

  it('shows the overdue view, and a force liaison sees only their force', async () => {
    const manager = await ApiClient.login(baseUrl, 'manager@demo.followup', DEMO_PASSWORD);
    const overdue = await manager.list('/recommendations?overdue=true');
    expect(overdue.length).toBeGreaterThanOrEqual(10);
    const orgs = new Map((await manager.list('/organisations')).map((o) => [o.id, o.code]));
    expect(overdue.some((r) => orgs.get(r.organisationId) === 'CHESHIRE')).toBe(false);

    const liaison = await ApiClient.login(baseUrl, 'liaison.met@demo.followup', DEMO_PASSWORD);
    const seen = await liaison.list('/recommendations');
    expect(seen).toHaveLength(5);
    expect(seen.find((r) => r.reference === '1')).toMatchObject({ priority: true, status: 'planned', rag: 'amber' });
    expect(seen.find((r) => r.reference === '2')).toMatchObject({ status: 'closure_proposed', overdue: false });
  });
});
