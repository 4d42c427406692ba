// Unit tests of the recommendation page's view model: the actions shown and their forms.
import { describe, expect, it } from '@jest/globals';
import { canSeeNotifications } from '#domain';
import { availableActions, timelineItem } from './recommendation-page.js';

const lead = { id: 'lead', role: 'inspector' as const, organisationIds: [] };
const otherInspector = { id: 'other', role: 'inspector' as const, organisationIds: [] };
const manager = { id: 'm', role: 'manager' as const, organisationIds: [] };
const liaison = { id: 'l', role: 'liaison' as const, organisationIds: ['force'] };
const inspection = { leadInspectorId: 'lead', organisationId: 'force' };

describe('recommendation page', () => {
  it('offers an inspector actions only on an inspection they lead', () => {
    const rec = { allowedActions: ['authorise_closure', 'return', 'close'] as const };
    expect(availableActions(lead, { allowedActions: [...rec.allowedActions] }, inspection)).toEqual(['authorise_closure', 'return', 'close']);
    expect(availableActions(otherInspector, { allowedActions: [...rec.allowedActions] }, inspection)).toEqual([]);
    expect(availableActions(liaison, { allowedActions: ['submit_plan'] }, inspection)).toEqual(['submit_plan']);
  });

  it('shows notifications to managers of the force and the lead inspector, not to other inspectors, other managers or liaison staff', () => {
    const otherManager = { id: 'm2', role: 'manager' as const, organisationIds: ['another force'] };
    expect([lead, otherInspector, manager, otherManager, liaison].map((a) => canSeeNotifications(a, inspection))).toEqual([true, false, true, false, false]);
  });

  it('tells the history in words: who, when in London, from → to, and date moves with their reason', () => {
    const item = timelineItem(
      {
        at: '2026-07-01T13:30:00.000Z',
        actorId: 'l',
        action: 'update_progress',
        fromStatus: 'planned',
        toStatus: 'planned',
        comment: 'Recruitment took longer',
        changes: { rag: { from: null, to: 'amber' }, targetDate: { from: '2027-03-31', to: '2027-06-30' } },
      },
      new Map([['l', 'Lena Liaison']]),
    );
    expect(item).toEqual({
      label: 'Progress updated',
      byline: 'Lena Liaison',
      datetime: '2026-07-01T13:30:00.000Z',
      when: '1 July 2026 at 2:30pm',
      statusChange: null,
      comment: 'Recruitment took longer',
      changes: ['RAG status: Amber', 'Target date moved from 31 March 2027 to 30 June 2027.'],
    });
    const recomputed = timelineItem(
      { at: '2026-01-01T00:00:00.000Z', actorId: null, action: 'recommendation.deadlines_recomputed', fromStatus: 'issued', toStatus: 'issued', comment: 'inspection dates changed', changes: { dueAt: { from: '2019-02-28T12:00:00.000Z', to: '2019-08-29T23:00:00.000Z' } } },
      new Map(),
    );
    expect([recomputed.label, recomputed.byline, recomputed.changes]).toEqual(['Deadlines recomputed', 'the system', ['Due date moved from 28 February 2019 to 30 August 2019.']]);
    const submitted = timelineItem({ at: '2026-01-01T00:00:00.000Z', actorId: 'gone', action: 'submit_plan', fromStatus: 'issued', toStatus: 'planned', comment: null, changes: { response: { from: null, to: 'partly_agreed' } } }, new Map());
    expect([submitted.statusChange, submitted.byline, submitted.changes]).toEqual(['Issued → Planned', 'a former user', ['Response: Partly agreed']]);
  });
});
