// Publishing a draft inspection on real PostgreSQL, built by hand: each recommendation's history records when it went
// out, and a force liaison who signed in between the import and the publication finds the new recommendations under
// "what changed since your last visit", once each.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, type Actor } from '../../../libs/domain/src/index.js';
import { serviceWorld, type ServiceWorld } from '../../support/service-world.js';

const IMPORTED = new Date('2026-03-02T10:00:00Z');
const LIAISON_VISIT = new Date('2026-03-02T11:00:00Z');
const PUBLISHED = new Date('2026-03-02T12:00:00Z');
const LIAISON_BACK = new Date('2026-03-02T13:00:00Z');

describe('publishing a draft inspection', () => {
  let world: ServiceWorld;
  let lead: Actor, liaison: Actor, organisation: string;

  beforeAll(async () => {
    world = await serviceWorld(IMPORTED);
    organisation = await world.force('PUB');
    lead = await world.person(Role.Inspector, 'lead@pub.test');
    liaison = await world.person(Role.Liaison, 'liaison@pub.test', [organisation]);
  });

  afterAll(async () => {
    await world?.db.cleanup();
  });

  /** The liaison signs in at `at`; what My work lists as changed since the sign-in before. */
  const liaisonSignsIn = async (at: Date) => {
    world.setNow(at);
    await world.storage.pool.users.recordSignIn(liaison.id, at);
    const work = await world.toDo.myWork(liaison);
    return work.changes;
  };

  it('shows a force the recommendations published since its last visit, not their drafting', async () => {
    world.setNow(IMPORTED);
    const draft = await world.inspections.create(lead, {
      organisationId: organisation,
      title: 'Drafted inspection',
      programme: 'NCPI',
      publishedAt: new Date('2026-03-01T00:00:00Z'),
      leadInspectorId: lead.id,
      draft: true,
      recommendations: [
        { reference: '1', text: 'Review custody' },
        { reference: '2', text: 'Train officers' },
      ],
    });
    await liaisonSignsIn(new Date('2026-03-01T09:00:00Z'));
    // Signed in while it was a draft: nothing to see yet.
    expect((await liaisonSignsIn(LIAISON_VISIT)).items).toEqual([]);

    world.setNow(PUBLISHED);
    await world.publishing.publish(lead, draft.id, draft.version);

    const changes = await liaisonSignsIn(LIAISON_BACK);
    expect(changes.since).toBe(LIAISON_VISIT.toISOString());
    expect(changes.items.map((c) => [c.reference, c.action, c.at]).sort()).toEqual([
      ['1', 'recommendation.published', PUBLISHED.toISOString()],
      ['2', 'recommendation.published', PUBLISHED.toISOString()],
    ]);

    const history: { action: string; at: Date }[] = await world.db.ds.query(
      `SELECT action, at FROM audit_events WHERE entity_type = 'recommendation' AND entity_id = $1 ORDER BY at, action`,
      [draft.recommendations![0].id],
    );
    expect(history).toEqual([
      { action: 'recommendation.issued', at: IMPORTED },
      { action: 'recommendation.published', at: PUBLISHED },
    ]);
  });

  it('keeps showing a recommendation issued straight away (never a draft) as issued', async () => {
    world.setNow(new Date('2026-03-03T10:00:00Z'));
    await world.inspections.create(lead, {
      organisationId: organisation,
      title: 'Published at once',
      programme: 'NCPI',
      publishedAt: new Date('2026-03-01T00:00:00Z'),
      leadInspectorId: lead.id,
      recommendations: [{ reference: 'A1', text: 'Publish the plan' }],
    });
    const changes = await liaisonSignsIn(new Date('2026-03-03T11:00:00Z'));
    expect(changes.items.map((c) => [c.reference, c.action])).toEqual([['A1', 'recommendation.issued']]);
  });
});
