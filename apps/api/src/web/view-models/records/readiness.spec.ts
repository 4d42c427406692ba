// The readiness pack's history in words: actions by name and status changes as "Issued → Planned", never "now issued"
// or a code.
import { describe, expect, it } from '@jest/globals';
import type { ReadinessPack } from '#application';
import { readinessModel } from './readiness.js';

const at = '2026-03-02T10:00:00.000Z';
const pack = {
  inspection: {
    id: 'i1',
    title: 'PEEL 2025',
    programme: 'PEEL',
    publishedAt: at,
    actionPlanDueAt: at,
    revisitDueAt: at,
  },
  organisation: { name: 'Merseyside Police', code: 'MERSEYSIDE' },
  leadInspector: 'Ines Inspector',
  generatedAt: at,
  recommendations: [
    {
      id: 'r1',
      reference: '1',
      text: 'Do it',
      status: 'planned',
      overdue: false,
      daysOverdue: null,
      area: null,
      priority: false,
      outcome: null,
      response: 'agreed',
      owner: 'Owner',
      actions: 'Act',
      targetDate: '2027-01-31',
      rag: 'green',
      dueAt: at,
      supersededById: null,
      supersedes: [],
      evidence: [],
      dateChanges: [],
      history: [
        { at, actor: null, action: 'recommendation.issued', fromStatus: null, toStatus: 'issued', comment: null },
        { at, actor: 'Lena Liaison', action: 'submit_plan', fromStatus: 'issued', toStatus: 'planned', comment: null },
        {
          at,
          actor: 'Ines Inspector',
          action: 'return',
          fromStatus: 'closure_proposed',
          toStatus: 'planned',
          comment: 'More, please',
        },
      ],
      notificationsSent: [{ sentAt: at, kind: 'stale', recipient: 'l@x', deadlineType: 'no_progress', deadlineAt: at }],
    },
  ],
} as unknown as ReadinessPack;

describe('readiness pack model', () => {
  it('tells the history with action names and status changes, never "now issued"', () => {
    const [rec] = readinessModel(pack).recommendations;
    expect(rec.history.map((h) => h.what)).toEqual([
      'Issued',
      'Action plan submitted (Issued → Planned)',
      'Returned to the force (Closure proposed → Planned)',
    ]);
    expect(JSON.stringify(rec.history)).not.toMatch(/now |submit_plan|closure_proposed/);
    expect(rec.notifications?.[0].kind).toBe('No recent progress reminder');
  });
});
