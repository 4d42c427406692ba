// The kind table: complete, and consistent with the rules that read it.
import { describe, expect, it } from '@jest/globals';
import { RECOMMENDATION_AUDIENCE } from './deadline-rules.js';
import { ALL_NOTIFICATION_KINDS, NOTIFICATION_KINDS, NotificationKind, kindsWhere } from './kinds.js';

describe('NOTIFICATION_KINDS', () => {
  it('defines every kind, in the order the kinds are declared', () => {
    expect(ALL_NOTIFICATION_KINDS).toEqual(Object.values(NotificationKind));
  });

  it('gives every kind planned from deadlines an audience a recommendation names', () => {
    for (const kind of kindsWhere((d) => d.planning.from === 'deadlines')) {
      for (const rule of NOTIFICATION_KINDS[kind].audience)
        expect({ kind, rule, named: RECOMMENDATION_AUDIENCE[rule] !== null }).toEqual({ kind, rule, named: true });
    }
  });

  it('names each kind on the pages', () => {
    for (const kind of ALL_NOTIFICATION_KINDS) {
      expect(NOTIFICATION_KINDS[kind].labels.log).toMatch(/^[A-Z][a-z ]+$/);
      expect(NOTIFICATION_KINDS[kind].labels.readiness).toMatch(/^[A-Z][a-z ]+$/);
    }
  });
});
