// The compose stage without PostgreSQL, Redis or SMTP: claimed rows and recommendations in, one email's content out.
import { describe, expect, it } from '@jest/globals';
import { DeadlineType, NotificationKind, Role } from '#domain';
import type { ClaimedLedgerRow, DispatchRecommendation } from '#persistence';
import { composeRecommendationEmail, composeSummaryEmail, summaryScope } from './compose.js';

const DAY = 86_400_000;
const now = new Date('2026-12-10T12:00:00Z');
const BASE = 'https://tracker.test';

const rec = (id: string, overrides: Partial<DispatchRecommendation> = {}): DispatchRecommendation => ({
  id,
  status: 'issued',
  actionPlanDueAt: new Date(now.getTime() - 3 * DAY),
  dueAt: new Date(now.getTime() + 90 * DAY),
  nextDeadlineAt: new Date(now.getTime() - 3 * DAY),
  progressAt: null,
  reference: `R-${id}`,
  text: 'Improve how risk is assessed',
  priority: false,
  inspectionId: 'i1',
  organisationId: 'org-1',
  inspectionTitle: 'PEEL 2026',
  organisationName: 'Northshire Police',
  evidenceFiles: [],
  evidenceTitles: [],
  proposedBy: null,
  version: 3,
  updatedAt: new Date('2026-12-01T09:00:00Z'),
  inspectionVersion: 2,
  inspectionUpdatedAt: new Date('2026-11-01T09:00:00Z'),
  ...overrides,
});

const row = (id: string, overrides: Partial<ClaimedLedgerRow> = {}): ClaimedLedgerRow => ({
  id,
  recommendationId: 'r1',
  organisationId: 'org-1',
  deadlineType: DeadlineType.ActionPlan,
  deadlineAt: new Date(now.getTime() - 3 * DAY),
  kind: NotificationKind.Overdue,
  offsetKey: 'P0D',
  recipientId: 'u1',
  recipientEmail: 'liaison@force.test',
  attempts: 1,
  sendAt: new Date(now.getTime() - DAY),
  batchKey: 'overdue.u1.0',
  messageId: '<m1@tracker.test>',
  recipientName: 'Liaison One',
  ...overrides,
});

describe('a recommendation email', () => {
  it('lists each due row with its recommendation, days overdue, addressed to the ledger recipient', () => {
    const prepared = composeRecommendationEmail([row('n1')], new Map([['r1', rec('r1')]]), now, BASE);
    expect(prepared.stale).toEqual([]);
    expect(prepared.rows.map((r) => r.id)).toEqual(['n1']);
    expect(prepared.content).toEqual({
      kind: NotificationKind.Overdue,
      recipient: { name: 'Liaison One', email: 'liaison@force.test' },
      appBaseUrl: BASE,
      items: [
        {
          recommendationId: 'r1',
          organisationName: 'Northshire Police',
          inspectionTitle: 'PEEL 2026',
          reference: 'R-r1',
          recommendationText: 'Improve how risk is assessed',
          priority: false,
          organisationId: 'org-1',
          inspectionId: 'i1',
          deadlineType: DeadlineType.ActionPlan,
          deadlineAt: new Date(now.getTime() - 3 * DAY),
          daysOverdue: 3,
        },
      ],
    });
  });

  it('leaves out rows whose recommendation is gone or whose deadline moved, and composes nothing when none is left', () => {
    const moved = row('n2', { recommendationId: 'r2', deadlineAt: new Date(now.getTime() - 9 * DAY) });
    const gone = row('n3', { recommendationId: 'r3' });
    const prepared = composeRecommendationEmail(
      [row('n1'), moved, gone],
      new Map([
        ['r1', rec('r1')],
        ['r2', rec('r2')],
      ]),
      now,
      BASE,
    );
    expect(prepared.content?.items.map((i) => i.reference)).toEqual(['R-r1']);
    expect(prepared.stale).toEqual([
      { id: 'n2', reason: 'stale: no longer due (R-r2 is issued; its deadlines changed or passed)' },
      { id: 'n3', reason: 'stale: the recommendation no longer exists' },
    ]);
    expect(composeRecommendationEmail([gone], new Map(), now, BASE)).toMatchObject({
      content: null,
      rows: [],
      stale: [{ id: 'n3' }],
    });
  });

  it('counts no days overdue in a reminder, and names the recipient by address when they have no name', () => {
    const reminder = row('n1', {
      kind: NotificationKind.Reminder,
      deadlineAt: new Date(now.getTime() + 7 * DAY),
      recipientName: null,
      offsetKey: 'P7D',
    });
    const soon = rec('r1', { actionPlanDueAt: new Date(now.getTime() + 7 * DAY) });
    const { content } = composeRecommendationEmail([reminder], new Map([['r1', soon]]), now, BASE);
    expect(content?.items[0].daysOverdue).toBeNull();
    expect(content?.recipient).toEqual({ name: 'liaison@force.test', email: 'liaison@force.test' });
  });
});

describe('a review alert', () => {
  it('names the evidence files on the recommendation with type, size and scan result; other kinds do not', () => {
    const files = [{ name: 'Custody audit.pdf', size: 14_336, type: 'application/pdf', scan: 'clean' }];
    const review = row('n1', {
      kind: NotificationKind.ReviewNeeded,
      deadlineType: DeadlineType.ClosureReview,
      deadlineAt: new Date(now.getTime() + DAY),
    });
    const byId = new Map([['r1', rec('r1', { status: 'closure_proposed', evidenceFiles: files })]]);
    const prepared = composeRecommendationEmail([review], byId, now, BASE);
    expect(prepared.content?.items[0].evidenceFiles).toEqual([
      { name: 'Custody audit.pdf', description: 'PDF, 14 KB, no viruses found' },
    ]);
    const overdue = composeRecommendationEmail(
      [row('n2')],
      new Map([['r1', rec('r1', { evidenceFiles: files })]]),
      now,
      BASE,
    );
    expect(overdue.content?.items[0].evidenceFiles).toBeUndefined();
  });
});

describe('a weekly summary', () => {
  const summaryRow = (organisationId: string | null) =>
    row(`s-${organisationId}`, {
      kind: NotificationKind.OverdueSummary,
      recommendationId: null,
      organisationId: organisationId,
      deadlineType: DeadlineType.WeeklySummary,
    });

  it('covers the forces its rows name that the manager still sees, or all they see for a row of every force', () => {
    const manager = (organisationIds: string[]) => ({ role: Role.Manager, organisationIds });
    const ofAll = { role: Role.Manager, organisationIds: [], allOrganisations: true };
    expect(summaryScope([summaryRow('a'), summaryRow('b')], manager(['a']))).toEqual({ organisations: ['a'] });
    expect(summaryScope([summaryRow('a'), summaryRow('b')], ofAll)).toEqual({ organisations: ['a', 'b'] });
    expect(summaryScope([summaryRow(null)], ofAll)).toEqual({ organisations: 'all' });
    // No forces is not "every force": a manager left with none is summarised nothing.
    expect(summaryScope([summaryRow(null)], manager([]))).toEqual({
      stale: 'stale: the recipient no longer sees these organisations',
    });
    expect(summaryScope([summaryRow(null)], manager(['c']))).toEqual({ organisations: ['c'] });
    expect(summaryScope([summaryRow('a')], manager(['c']))).toEqual({
      stale: 'stale: the recipient no longer sees these organisations',
    });
    expect(summaryScope([summaryRow('a')], { role: Role.Liaison, organisationIds: ['a'] })).toEqual({
      stale: 'stale: the recipient is no longer a manager',
    });
    expect(summaryScope([summaryRow('a')], undefined)).toEqual({
      stale: 'stale: the recipient is no longer a manager',
    });
  });

  it('lists what is overdue by the deadline missed first, and goes nowhere when nothing is overdue', () => {
    const rows = [summaryRow('org-1')];
    const planned = rec('r2', {
      status: 'planned',
      nextDeadlineAt: new Date(now.getTime() - 10 * DAY),
      dueAt: new Date(now.getTime() - 10 * DAY),
    });
    const prepared = composeSummaryEmail(rows, { overdue: [planned, rec('r1')] }, now, BASE);
    expect(prepared.content?.kind).toBe(NotificationKind.OverdueSummary);
    expect(prepared.content?.items.map((i) => [i.reference, i.deadlineType, i.daysOverdue])).toEqual([
      ['R-r2', DeadlineType.DueDate, 10],
      ['R-r1', DeadlineType.ActionPlan, 3],
    ]);
    expect(prepared.rows).toEqual(rows);
    expect(composeSummaryEmail(rows, { overdue: [] }, now, BASE)).toEqual({
      content: null,
      rows: [],
      recommendations: [],
      stale: [{ id: rows[0].id, reason: 'nothing overdue to summarise' }],
    });
    expect(composeSummaryEmail(rows, { stale: 'why' }, now, BASE).stale).toEqual([{ id: rows[0].id, reason: 'why' }]);
  });
});
