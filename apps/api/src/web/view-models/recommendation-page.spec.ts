// Unit tests of the recommendation page's view model: the actions shown and their forms.
import { describe, expect, it } from '@jest/globals';
import { canSeeNotifications } from '#domain';
import { availableActions, timelineItem } from './recommendation-page.js';

const lead = { id: 'lead', role: 'inspector' as const, organisationIds: [] };
const otherInspector = { id: 'other', role: 'inspector' as const, organisationIds: [] };
const manager = { id: 'm', role: 'manager' as const, organisationIds: [], allOrganisations: true };
const liaison = { id: 'l', role: 'liaison' as const, organisationIds: ['force'] };
const inspection = { leadInspectorId: 'lead', organisationId: 'force' };

describe('recommendation page', () => {
  it('says when a drafted recommendation was published, in words', () => {
    const published = timelineItem(
      {
        at: '2026-01-01T00:00:00.000Z',
        actorId: null,
        action: 'recommendation.published',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: { draft: { from: true, to: false } },
      },
      new Map(),
    );
    expect(published).toMatchObject({ label: 'Published', changes: [] });
  });

  it('shows evidence file events by file name and scan result, never ids or hashes', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const uploaded = timelineItem(
      {
        at,
        actorId: null,
        action: 'evidence_uploaded',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: {
          files: {
            from: null,
            to: [
              { id: 'x', name: 'Audit.pdf', sha256: 'ab' },
              { id: 'y', name: 'Log.csv', sha256: 'cd' },
            ],
          },
        },
      },
      new Map(),
    );
    expect(uploaded).toMatchObject({ label: 'Evidence files uploaded', changes: ['Files: Audit.pdf, Log.csv'] });
    const scanned = timelineItem(
      {
        at,
        actorId: null,
        action: 'evidence_scanned',
        fromStatus: null,
        toStatus: null,
        comment: null,
        changes: {
          scan: { from: 'pending', to: 'infected' },
          file: { from: null, to: { id: 'x', name: 'eicar.txt', signature: 'Eicar-Test-Signature' } },
        },
      },
      new Map(),
    );
    expect(scanned.changes).toEqual([
      'Virus scan: Waiting for virus scan → Virus found: quarantined',
      'File: eicar.txt (Eicar-Test-Signature)',
    ]);
  });

  it('offers an inspector actions only on an inspection they lead', () => {
    const rec = { allowedActions: ['authorise_closure', 'return', 'close'] as const };
    expect(availableActions(lead, { allowedActions: [...rec.allowedActions] }, inspection)).toEqual([
      'authorise_closure',
      'return',
      'close',
    ]);
    expect(availableActions(otherInspector, { allowedActions: [...rec.allowedActions] }, inspection)).toEqual([]);
    expect(availableActions(liaison, { allowedActions: ['submit_plan'] }, inspection)).toEqual(['submit_plan']);
  });

  it('shows notifications to managers of the force and the lead inspector, not to other inspectors, other managers or liaison staff', () => {
    const otherManager = { id: 'm2', role: 'manager' as const, organisationIds: ['another force'] };
    expect(
      [lead, otherInspector, manager, otherManager, liaison].map((a) => canSeeNotifications(a, inspection)),
    ).toEqual([true, false, true, false, false]);
  });

  it('tells the history in words: who, when in London, from → to, and date moves with their reason shown once (the comment)', () => {
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
      {
        at: '2026-01-01T00:00:00.000Z',
        actorId: null,
        action: 'recommendation.deadlines_recomputed',
        fromStatus: 'issued',
        toStatus: 'issued',
        comment: 'inspection dates changed',
        changes: { dueAt: { from: '2019-02-28T12:00:00.000Z', to: '2019-08-29T23:00:00.000Z' } },
      },
      new Map(),
    );
    expect([recomputed.label, recomputed.byline, recomputed.changes]).toEqual([
      'Deadlines moved',
      'the system',
      ['Due date moved from 28 February 2019 to 30 August 2019.'],
    ]);
    const closed = timelineItem(
      {
        at: '2026-01-01T00:00:00.000Z',
        actorId: 'i',
        action: 'close',
        fromStatus: 'planned',
        toStatus: 'closed',
        comment: 'Replaced\nby the 2026 report',
        changes: {
          status: { from: 'planned', to: 'closed' },
          outcome: { from: null, to: 'superseded' },
          closedAt: { from: null, to: '2026-01-01T00:00:00.000Z' },
          supersededById: { from: null, to: '0b7c5a7e-1111-4111-8111-111111111111' },
        },
      },
      new Map([['i', 'Ines Inspector']]),
    );
    expect(closed.changes).toEqual(['Outcome: Superseded', 'Replaced by a recommendation of a later inspection']);
    expect(JSON.stringify([closed.label, closed.statusChange, ...closed.changes])).not.toMatch(
      /\d{4}-\d{2}-\d{2}T|[0-9a-f]{8}-[0-9a-f]{4}|ClosedAt|closed_at/,
    );
    expect(closed.comment).toBe('Replaced\nby the 2026 report');
    const submitted = timelineItem(
      {
        at: '2026-01-01T00:00:00.000Z',
        actorId: 'gone',
        action: 'submit_plan',
        fromStatus: 'issued',
        toStatus: 'planned',
        comment: null,
        changes: { response: { from: null, to: 'partly_agreed' } },
      },
      new Map(),
    );
    expect([submitted.statusChange, submitted.byline, submitted.changes]).toEqual([
      'Issued → Planned',
      'a former user',
      ['Response: Partly agreed'],
    ]);
  });
});
