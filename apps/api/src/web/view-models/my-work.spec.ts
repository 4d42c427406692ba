// "My work"'s view model: every group with its count, which deadline and how long each item waited, the changes in
// words.
import { describe, expect, it } from '@jest/globals';
import type { Change, MyWork, ToDoItem } from '#application';
import { changeModel, myWorkModel } from './my-work.js';

const item = (over: Partial<ToDoItem>): ToDoItem => ({
  id: '11111111-1111-4111-8111-111111111111',
  reference: '7',
  text: 'Improve how risk is assessed',
  status: 'planned',
  organisationName: 'Merseyside Police',
  inspectionId: '22222222-2222-4222-8222-222222222222',
  inspectionTitle: 'PEEL 2025',
  deadlineType: 'due_date',
  deadlineAt: '2026-03-30T23:00:00.000Z',
  overdue: false,
  daysOverdue: null,
  noRecentProgress: false,
  waitingSince: '2026-01-05T10:00:00.000Z',
  waitingDays: 40,
  detail: null,
  ...over,
});

const noChanges = { since: null, items: [] };

describe('myWorkModel', () => {
  it("lists a liaison officer's groups with counts, the deadline by name and date, and how long each waited", () => {
    const work: MyWork = {
      role: 'liaison',
      groups: [
        { id: 'returned', count: 1, items: [item({ detail: 'The audit covers one district only' })] },
        {
          id: 'plan',
          count: 3,
          items: [
            item({
              status: 'issued',
              deadlineType: 'action_plan',
              deadlineAt: '2026-02-10T00:00:00.000Z',
              overdue: true,
              daysOverdue: 12,
            }),
          ],
        },
        { id: 'progress', count: 0, items: [] },
      ],
      changes: noChanges,
    };
    const model = myWorkModel(work);
    expect(model.total).toBe(4);
    expect(model.totalText).toBe('4 recommendations are waiting for you.');
    expect(model.sections.map((s) => [s.id, s.heading, s.count])).toEqual([
      ['returned', 'Closures returned to you', 1],
      ['plan', 'Action plans to submit', 3],
      ['progress', 'Progress to update', 0],
    ]);
    const returned = model.sections[0].rows[0];
    expect(returned).toMatchObject({
      deadlineLabel: 'Due date',
      deadlineDate: '31 March 2026',
      waitingLabel: 'Returned',
      waiting: '5 January 2026 (40 days ago)',
      detail: 'Reason: The audit covers one district only',
    });
    const plan = model.sections[1];
    expect(plan.rows[0]).toMatchObject({
      deadlineLabel: 'Action plan due',
      deadlineDate: '10 February 2026',
      overdue: '12 days overdue',
    });
    expect(plan.more).toBe('Showing 1 of 3.');
    expect(model.sections[2].empty).toBe('No planned recommendation is waiting for you.');
  });

  it('tags a planned recommendation with no recent progress', () => {
    const model = myWorkModel({
      role: 'liaison',
      groups: [{ id: 'progress', count: 1, items: [item({ noRecentProgress: true })] }],
      changes: noChanges,
    });
    expect(model.sections[0].rows[0].tags).toEqual([{ text: 'No recent progress', classes: 'govuk-tag--yellow' }]);
  });

  it('names who proposed a closure for the inspector, and lists their inspections by next deadline', () => {
    const model = myWorkModel({
      role: 'inspector',
      groups: [
        {
          id: 'review',
          count: 1,
          items: [item({ status: 'closure_proposed', detail: 'Lena Liaison', waitingDays: 0 })],
        },
      ],
      inspections: [
        {
          inspectionId: 'i1',
          title: 'PEEL 2025',
          organisationName: 'Merseyside Police',
          open: 4,
          overdue: 1,
          next: [{ what: 'revisit', at: '2026-06-30T23:00:00.000Z' }],
        },
      ],
      drafts: [
        { inspectionId: 'd1', title: 'PEEL 2026', organisationName: 'Cheshire Constabulary', recommendations: 1 },
      ],
      changes: noChanges,
    });
    expect(model.drafts).toEqual([
      {
        href: '/inspections/d1',
        title: 'PEEL 2026',
        organisationName: 'Cheshire Constabulary',
        recommendations: '1 recommendation',
      },
    ]);
    expect(model.sections[0].rows[0]).toMatchObject({
      waitingLabel: 'Submitted',
      waiting: '5 January 2026 (today)',
      detail: 'Proposed by Lena Liaison',
    });
    expect(model.inspections).toEqual([
      {
        href: '/inspections/i1',
        title: 'PEEL 2025',
        organisationName: 'Merseyside Police',
        open: 4,
        overdue: 1,
        next: 'Revisit: 1 July 2026',
        later: [],
      },
    ]);
  });

  it("links a manager's per-force counts to the filtered lists", () => {
    const model = myWorkModel({
      role: 'manager',
      forces: [{ organisationId: 'o1', organisationName: 'Cheshire', overdue: 2, noRecentProgress: 1 }],
      totalOverdue: 2,
      totalNoRecentProgress: 1,
      changes: noChanges,
    });
    expect(model.forces).toEqual([
      {
        organisationName: 'Cheshire',
        overdue: 2,
        overdueHref: '/overdue?force=o1',
        noRecentProgress: 1,
        noRecentProgressHref: '/dashboard/list?organisationId=o1&noRecentProgress=true',
      },
    ]);
    expect(model.totalText).toBe('2 recommendations are overdue; 1 has had no recent progress.');
  });
});

describe('changeModel', () => {
  const change = (over: Partial<Change>): Change => ({
    at: '2026-07-01T08:05:00.000Z',
    action: 'return',
    comment: 'More evidence, please',
    actorName: 'Ines Inspector',
    recommendationId: 'r1',
    reference: '3',
    inspectionTitle: 'PEEL 2025',
    organisationName: 'Merseyside Police',
    movedTo: null,
    ...over,
  });

  it('says what happened, by whom and when, in London time and words', () => {
    expect(changeModel(change({}))).toEqual({
      when: '1 July 2026 at 9:05am',
      href: '/recommendations/r1',
      reference: '3',
      where: 'Merseyside Police, PEEL 2025',
      what: 'Closure returned to the force by Ines Inspector',
      comment: 'More evidence, please',
    });
  });

  it('words every change a force liaison is shown, never its code', () => {
    const words = ['recommendation.issued', 'recommendation.published', 'return', 'reopen'].map(
      (action) => changeModel(change({ action, comment: null })).what,
    );
    expect(words).toEqual([
      'New recommendation issued by Ines Inspector',
      'New recommendation published by Ines Inspector',
      'Closure returned to the force by Ines Inspector',
      'Reopened by Ines Inspector',
    ]);
  });

  it('gives a moved date as a date, never as an ISO timestamp', () => {
    const moved = changeModel(
      change({
        action: 'recommendation.deadlines_recomputed',
        comment: 'inspection dates changed',
        movedTo: '2026-09-30T23:00:00.000Z',
      }),
    );
    expect(moved.what).toBe('Deadlines moved (now 1 October 2026) by Ines Inspector');
    expect(moved.comment).toBeNull();
    expect(changeModel(change({ action: 'update_progress', movedTo: '2026-12-31' })).what).toBe(
      'Progress updated (now 31 December 2026) by Ines Inspector',
    );
  });
});
