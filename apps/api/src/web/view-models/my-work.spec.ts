// Unit tests of the My work view model, by role.
import { describe, expect, it } from '@jest/globals';
import type { WorkItem } from '#application';
import { myWorkModel } from './my-work.js';

const item = (over: Partial<WorkItem>): WorkItem =>
  ({
    id: 'r1',
    reference: '16',
    text: 'Review the operating model of the teams that manage registered sex offenders.',
    status: 'issued',
    overdue: true,
    daysOverdue: 3,
    rag: null,
    owner: null,
    dueAt: '2019-02-28T12:00:00.000Z',
    actionPlanDueAt: '2018-10-11T12:00:00.000Z',
    organisationName: 'Merseyside Police',
    inspectionTitle: 'Merseyside NCPI 2018',
    ...over,
  }) as WorkItem;

describe('My work view model', () => {
  it('gives liaison staff three lists, the next deadline being the action plan while issued', () => {
    const model = myWorkModel({ role: 'liaison', dueSoonDays: 14, overdue: { items: [item({})], more: true }, dueSoon: { items: [], more: false }, returned: { items: [], more: false } });
    expect(model.sections.map((s) => [s.heading, s.rows.length, s.more])).toEqual([
      ['Needs action now', 1, 'Showing the first 1.'],
      ['Deadlines in the next 14 days', 0, null],
      ['Returned to you', 0, null],
    ]);
    expect(model.sections[0].rows[0]).toMatchObject({ href: '/recommendations/r1', nextDeadline: '11 October 2018', daysOverdue: '3 days overdue', status: { text: 'Issued – overdue' } });
  });

  it('gives managers the counts per force and their total', () => {
    const model = myWorkModel({
      role: 'manager',
      totalOverdue: 5,
      overdueByOrganisation: [
        { organisationId: 'a', organisationName: 'Merseyside Police', overdue: 3 },
        { organisationId: 'b', organisationName: 'Cheshire Constabulary', overdue: 2 },
      ],
      oldest: { items: [item({})], more: false },
    });
    expect([model.totalOverdue, model.overdueByOrganisation?.map((o) => o.overdue), model.sections.map((s) => s.heading)]).toEqual([5, [3, 2], ['Oldest overdue recommendations']]);
  });
});
