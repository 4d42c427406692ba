// Unit tests of the overdue list page's model: filters, paging and the CSV columns.
import { describe, expect, it } from '@jest/globals';
import { encodeCursor, type OverdueRow } from '#application';
import { filterQuery, overdueCsvColumns, overdueModel, overdueRowModel, readOverdueRequest } from './overdue.js';

const FORCE = '0b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const CURSOR = encodeCursor(['2018-10-11T00:00:00.000Z', '7', '1b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b']);
const ROW: OverdueRow = {
  id: '2b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  reference: '16',
  text: 'Review how registered sex offender visits are scheduled.',
  owner: 'DCI Jones',
  rag: 'amber',
  priority: true,
  status: 'issued',
  organisationId: FORCE,
  organisationName: 'Merseyside Police',
  inspectionId: '3b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  inspectionTitle: 'Merseyside NCPI 2018',
  // 23:30 UTC on 10 October is 00:30 on 11 October in London.
  deadlineAt: '2018-10-10T23:30:00.000Z',
  overdueReason: 'action_plan',
  daysOverdue: 2970,
  noRecentProgress: false,
};
const CHOICES = { organisations: [{ id: FORCE, name: 'Merseyside Police' }], inspections: [], moreInspections: false };

describe('overdue list page model', () => {
  it('reads the filters, keeping only values it knows', () => {
    expect(
      readOverdueRequest({
        force: FORCE.toUpperCase(),
        reason: 'due_date',
        age: 'over_12_months',
        priority: 'no',
        after: CURSOR,
      }),
    ).toEqual({
      values: { force: FORCE, inspection: '', reason: 'due_date', age: 'over_12_months', priority: 'no' },
      filter: { organisationId: FORCE, reason: 'due_date', ageBand: 'over_12_months', priority: false },
      after: CURSOR,
    });
    expect(
      readOverdueRequest({
        force: 'x',
        inspection: ['a'],
        reason: 'late',
        age: '1',
        priority: 'maybe',
        after: 'garbage',
        before: { a: 1 },
      }),
    ).toEqual({
      values: { force: '', inspection: '', reason: '', age: '', priority: '' },
      filter: {},
    });
    expect(readOverdueRequest({ before: CURSOR, after: CURSOR })).toMatchObject({ before: CURSOR });
    expect(readOverdueRequest(undefined).filter).toEqual({});
  });

  it('builds links that keep the filters', () => {
    const values = { force: FORCE, inspection: '', reason: 'action_plan', age: '', priority: '' };
    expect(filterQuery(values)).toBe(`?force=${FORCE}&reason=action_plan`);
    expect(filterQuery({ ...values, force: '', reason: '' })).toBe('');
    const model = overdueModel(
      { values, filter: {} },
      CHOICES,
      { items: [ROW], nextCursor: CURSOR, previousCursor: null },
      51,
    );
    expect(model.totalText).toBe('51 overdue recommendations match these filters');
    expect(model.csvHref).toBe(`/overdue.csv?force=${FORCE}&reason=action_plan`);
    expect(model.pagination).toEqual({ next: { href: `/overdue?force=${FORCE}&reason=action_plan&after=${CURSOR}` } });
    expect(model.selectedFilters?.categories).toEqual([
      { heading: { text: 'Force' }, items: [{ href: '/overdue?reason=action_plan', text: 'Merseyside Police' }] },
      { heading: { text: 'Reason' }, items: [{ href: `/overdue?force=${FORCE}`, text: 'Action plan not submitted' }] },
    ]);
    expect(model.forceItems).toEqual([
      { value: '', text: 'All forces' },
      { value: FORCE, text: 'Merseyside Police', selected: true, checked: true },
    ]);
    expect(
      overdueModel(
        { values: { ...values, force: '', reason: '' }, filter: {} },
        CHOICES,
        { items: [], nextCursor: null, previousCursor: null },
        1,
      ),
    ).toMatchObject({
      totalText: '1 overdue recommendation',
      selectedFilters: null,
      pagination: null,
    });
  });

  it('shows a row with its London deadline and the days in figures', () => {
    expect(overdueRowModel(ROW)).toEqual({
      href: `/recommendations/${ROW.id}`,
      reference: '16',
      summary: 'Review how registered sex offender visits are scheduled.',
      status: { text: 'Issued', classes: 'govuk-tag--blue' },
      owner: 'DCI Jones',
      rag: { text: 'Amber', classes: 'govuk-tag--orange' },
      priority: true,
      force: 'Merseyside Police',
      inspection: 'Merseyside NCPI 2018',
      reason: 'Action plan not submitted',
      deadline: '11 October 2018',
      daysOverdue: '2,970',
      flags: [],
    });
    expect(overdueRowModel({ ...ROW, status: 'planned', noRecentProgress: true }).flags).toEqual([
      { text: 'No recent progress', classes: 'govuk-tag--yellow' },
    ]);
  });

  it('gives the CSV the same row with a spreadsheet date and a link', () => {
    const cells = overdueCsvColumns('https://tracker.example').map((column) => [column.header, column.value(ROW)]);
    expect(cells).toEqual([
      ['Force', 'Merseyside Police'],
      ['Inspection', 'Merseyside NCPI 2018'],
      ['Reference', '16'],
      ['Recommendation', 'Review how registered sex offender visits are scheduled.'],
      ['Status', 'Issued'],
      ['Owner', 'DCI Jones'],
      ['RAG', 'Amber'],
      ['Priority', 'yes'],
      ['Reason', 'Action plan not submitted'],
      ['Deadline', '2018-10-11'],
      ['Days overdue', 2970],
      ['Link', `https://tracker.example/recommendations/${ROW.id}`],
    ]);
  });
});
