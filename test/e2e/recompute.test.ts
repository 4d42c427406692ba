// PATCH /inspections/:id with new dates: derived deadlines move, explicit ones stay, and the delivery
// ledger cancels the old date's reminders and schedules a fresh series for the new one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DateTime, Duration } from 'luxon';
import {
  startApi,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Organisation,
  type Recommendation,
} from '../support/api-harness.js';

const OFFSETS = ['P14D', 'P7D', 'P1D'];
const London = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/London' });
/** `iso` moved by an ISO duration on the London calendar, as UTC ISO text with milliseconds. */
const plus = (iso: string, duration: string) => London(iso).plus(Duration.fromISO(duration)).toUTC().toISO()!;
const minus = (iso: string, duration: string) => London(iso).minus(Duration.fromISO(duration)).toUTC().toISO()!;
/** A whole second `days` from now, as UTC ISO text with milliseconds. */
const fromNow = (days: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000).toISOString();

interface LedgerRow {
  id: string;
  kind: string;
  recipient: string;
  recommendationIds: string[];
  dueAt: string;
  status: string;
  attempts: number;
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  [extra: string]: unknown;
}

describe('recomputing deadlines when an inspection changes', () => {
  let api: RunningApi;
  let org: Organisation;
  let lead: TestUser;
  let otherInspector: TestUser;
  let liaison: TestUser;
  let inspection: InspectionDetail;
  let before: InspectionDetail;
  let after: InspectionDetail;
  const ledgerBefore = new Map<string, LedgerRow[]>();
  const oldPublishedAt = fromNow(1);
  const newPublishedAt = fromNow(8);
  const explicitDueAt = fromNow(400);

  const byRef = (inspectionBody: InspectionDetail, ref: string) =>
    inspectionBody.recommendations.find((r) => r.reference === ref)!;

  async function ledger(recommendationId: string, query = ''): Promise<LedgerRow[]> {
    const response = await api.adminApi.get(`/notifications?recommendationId=${recommendationId}&limit=500${query}`);
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items;
  }

  const reminders = (rows: LedgerRow[], status?: string) =>
    rows.filter((r) => r.kind === 'reminder' && (status === undefined || r.status === status));
  /** The send times of the reminders a deadline at `deadline` gets, oldest first. */
  const reminderTimes = (deadline: string) => OFFSETS.map((offset) => minus(deadline, offset)).sort();
  const dueTimes = (rows: LedgerRow[]) => rows.map((r) => new Date(r.dueAt).toISOString()).sort();

  beforeAll(async () => {
    api = await startApi({ SEND_WINDOW: 'always', REMINDER_OFFSETS: OFFSETS.join(',') });
    org = await api.createOrganisation();
    // The liaison exists before the inspection, so that its reminders have a recipient.
    [lead, otherInspector, liaison] = await Promise.all([
      api.createUser('inspector'),
      api.createUser('inspector'),
      api.createUser('liaison', [org.id]),
    ]);
    inspection = await api.createInspection(lead.token, {
      organisationId: org.id,
      leadInspectorId: lead.id,
      publishedAt: oldPublishedAt,
      recommendations: [
        { reference: 'TF', timeframe: 'P3M' },
        { reference: 'DEFAULT' },
        { reference: 'EXPLICIT', dueAt: explicitDueAt },
      ],
    });
    before = inspection;
    for (const rec of inspection.recommendations) ledgerBefore.set(rec.reference, await ledger(rec.id));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('derives the deadlines of the new inspection from publishedAt', () => {
    expect(before.publishedAt).toBe(oldPublishedAt);
    expect(before.actionPlanDueAt).toBe(plus(oldPublishedAt, 'P6W'));
    expect(before.revisitDueAt).toBe(plus(oldPublishedAt, 'P6M'));
    expect(byRef(before, 'TF').dueAt).toBe(plus(oldPublishedAt, 'P3M'));
    expect(byRef(before, 'DEFAULT').dueAt).toBe(before.revisitDueAt);
    expect(byRef(before, 'EXPLICIT').dueAt).toBe(explicitDueAt);
  });

  it('schedules a reminder to the liaison at each offset before each deadline', () => {
    const rows = ledgerBefore.get('TF')!;
    const scheduled = reminders(rows, 'scheduled');
    expect(scheduled.every((r) => r.recipient === liaison.email)).toBe(true);
    expect(scheduled.every((r) => r.recommendationIds.includes(byRef(before, 'TF').id))).toBe(true);
    expect(dueTimes(scheduled)).toEqual(
      [...reminderTimes(before.actionPlanDueAt), ...reminderTimes(byRef(before, 'TF').dueAt)].sort(),
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'scheduled',
        attempts: 0,
        sentAt: null,
        messageId: null,
        nextAttemptAt: null,
      });
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining([
          'id',
          'kind',
          'recipient',
          'recommendationIds',
          'dueAt',
          'status',
          'attempts',
          'sentAt',
          'messageId',
          'lastError',
        ]),
      );
    }
    // Overdue notices go to the liaison and the lead inspector.
    const overdue = rows.filter((r) => r.kind === 'overdue').map((r) => r.recipient);
    expect(new Set(overdue)).toEqual(new Set([liaison.email, lead.email]));
  });

  it('leaves every deadline and version alone when only the title changes', async () => {
    const response = await lead.api.patch(`/inspections/${inspection.id}`, {
      version: inspection.version,
      title: 'Renamed inspection',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      title: 'Renamed inspection',
      version: inspection.version + 1,
      actionPlanDueAt: before.actionPlanDueAt,
    });
    for (const rec of response.body.recommendations) {
      const old = byRef(before, rec.reference);
      expect(rec).toMatchObject({ version: old.version, dueAt: old.dueAt, actionPlanDueAt: old.actionPlanDueAt });
    }
    expect(reminders(await ledger(byRef(before, 'TF').id), 'cancelled')).toEqual([]);
    inspection = response.body;
  });

  it('moves every deadline derived from publishedAt, keeps the explicit one, and bumps the versions', async () => {
    const response = await lead.api.patch(`/inspections/${inspection.id}`, {
      version: inspection.version,
      publishedAt: newPublishedAt,
    });
    expect(response.status).toBe(200);
    after = response.body;
    expect(after).toMatchObject({
      publishedAt: newPublishedAt,
      actionPlanDueAt: plus(newPublishedAt, 'P6W'),
      revisitDueAt: plus(newPublishedAt, 'P6M'),
      version: inspection.version + 1,
    });
    expect(after.actionPlanDueAt).not.toBe(before.actionPlanDueAt);

    expect(byRef(after, 'TF').dueAt).toBe(plus(newPublishedAt, 'P3M'));
    expect(byRef(after, 'DEFAULT').dueAt).toBe(after.revisitDueAt);
    expect(byRef(after, 'EXPLICIT').dueAt).toBe(explicitDueAt);
    for (const rec of after.recommendations) {
      const old = byRef(before, rec.reference);
      expect(rec.actionPlanDueAt).toBe(after.actionPlanDueAt);
      // Each recommendation's action-plan deadline moved, so each changed once.
      expect(rec.version).toBe(old.version + 1);
    }
    // GET agrees with the PATCH reply.
    const fetched = await liaison.api.get(`/inspections/${inspection.id}`);
    expect(fetched.body.recommendations.map((r: Recommendation) => [r.reference, r.dueAt, r.version]).sort()).toEqual(
      after.recommendations.map((r) => [r.reference, r.dueAt, r.version]).sort(),
    );
  });

  it("cancels the old dates' reminders and schedules fresh ones for the new dates", async () => {
    const tf = byRef(after, 'TF');
    const rows = await ledger(tf.id);
    const cancelled = reminders(rows, 'cancelled');
    const scheduled = reminders(rows, 'scheduled');
    expect(dueTimes(cancelled)).toEqual(
      [...reminderTimes(before.actionPlanDueAt), ...reminderTimes(byRef(before, 'TF').dueAt)].sort(),
    );
    expect(dueTimes(scheduled)).toEqual([...reminderTimes(after.actionPlanDueAt), ...reminderTimes(tf.dueAt)].sort());
    expect(scheduled.every((r) => r.recipient === liaison.email)).toBe(true);
    // Nothing is left scheduled for an old date, of any kind.
    const oldIds = new Set(ledgerBefore.get('TF')!.map((r) => r.id));
    expect(rows.filter((r) => oldIds.has(r.id) && r.status !== 'cancelled')).toEqual([]);
    // The status filter agrees.
    expect((await ledger(tf.id, '&status=cancelled')).map((r) => r.id).sort()).toEqual([...oldIds].sort());
    expect((await ledger(tf.id, '&status=scheduled&kind=reminder')).map((r) => r.id).sort()).toEqual(
      scheduled.map((r) => r.id).sort(),
    );
  });

  it('keeps the reminders of an explicit dueAt that did not move', async () => {
    const rec = byRef(after, 'EXPLICIT');
    const rows = await ledger(rec.id);
    const scheduled = reminders(rows, 'scheduled');
    const cancelled = reminders(rows, 'cancelled');
    expect(dueTimes(scheduled)).toEqual(
      [...reminderTimes(after.actionPlanDueAt), ...reminderTimes(explicitDueAt)].sort(),
    );
    expect(dueTimes(cancelled)).toEqual(reminderTimes(before.actionPlanDueAt));
    // The explicit deadline's reminders are the same rows as before, not a new series.
    const oldExplicit = reminders(ledgerBefore.get('EXPLICIT')!).filter((r) =>
      reminderTimes(explicitDueAt).includes(new Date(r.dueAt).toISOString()),
    );
    expect(oldExplicit).toHaveLength(OFFSETS.length);
    expect(scheduled.filter((r) => oldExplicit.some((o) => o.id === r.id))).toHaveLength(OFFSETS.length);
  });

  it('moves the default (revisit) due date with its reminders', async () => {
    const rec = byRef(after, 'DEFAULT');
    const rows = await ledger(rec.id);
    expect(dueTimes(reminders(rows, 'scheduled'))).toEqual(
      [...reminderTimes(after.actionPlanDueAt), ...reminderTimes(after.revisitDueAt)].sort(),
    );
    expect(dueTimes(reminders(rows, 'cancelled'))).toEqual(
      [...reminderTimes(before.actionPlanDueAt), ...reminderTimes(before.revisitDueAt)].sort(),
    );
  });

  it('keeps an explicit actionPlanDueAt when publishedAt moves again', async () => {
    const explicitPlan = fromNow(30);
    const first = await lead.api.patch(`/inspections/${inspection.id}`, {
      version: after.version,
      actionPlanDueAt: explicitPlan,
    });
    expect(first.status).toBe(200);
    expect(first.body.actionPlanDueAt).toBe(explicitPlan);
    const published = fromNow(2);
    const second = await lead.api.patch(`/inspections/${inspection.id}`, {
      version: first.body.version,
      publishedAt: published,
    });
    expect(second.status).toBe(200);
    expect(second.body.actionPlanDueAt).toBe(explicitPlan);
    expect(second.body.revisitDueAt).toBe(plus(published, 'P6M'));
    const rows = await ledger(byRef(second.body, 'TF').id, '&status=scheduled&kind=reminder');
    expect(dueTimes(rows)).toEqual(
      [...reminderTimes(explicitPlan), ...reminderTimes(byRef(second.body, 'TF').dueAt)].sort(),
    );
  });

  it("shows the ledger to the lead inspector, and not another inspector's", async () => {
    const id = byRef(after, 'TF').id;
    const mine = await lead.api.get(`/notifications?recommendationId=${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    const theirs = await otherInspector.api.get(`/notifications?recommendationId=${id}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });
});
