import { describe, expect, it } from '@jest/globals';
import { auditHash, canonicalJson, GENESIS_HASH, type AuditHashInput } from './audit-log.js';

const base: AuditHashInput = {
  seq: '1',
  at: new Date('2026-01-15T10:20:30.456Z'),
  actorId: null,
  entityType: 'recommendation',
  entityId: '00000000-0000-4000-8000-000000000001',
  action: 'submit_plan',
  fromStatus: 'issued',
  toStatus: 'planned',
  comment: null,
  changes: { owner: 'DCI Smith', rag: { to: 'green', from: null } },
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, writes Dates as ISO and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: new Date('2026-01-01T00:00:00Z'), u: undefined } })).toBe(
      '{"a":{"c":"2026-01-01T00:00:00.000Z","d":[3,{"x":2,"y":1}]},"b":1}',
    );
  });
});

describe('auditHash', () => {
  it('is a sha256 hex digest, the same whatever the key order of changes', () => {
    const h = auditHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...base, changes: { rag: { from: null, to: 'green' }, owner: 'DCI Smith' } })).toBe(h);
  });

  it('changes with the previous hash and with every field', () => {
    const h = auditHash(GENESIS_HASH, base);
    const variants: Array<Partial<AuditHashInput>> = [
      { seq: '2' },
      { at: new Date('2026-01-15T10:20:30.457Z') },
      { actorId: '00000000-0000-4000-8000-000000000002' },
      { entityType: 'inspection' },
      { entityId: '00000000-0000-4000-8000-000000000003' },
      { action: 'return' },
      { fromStatus: null },
      { toStatus: 'closed' },
      { comment: '' },
      { changes: {} },
    ];
    const hashes = variants.map((v) => auditHash(GENESIS_HASH, { ...base, ...v }));
    expect(new Set([h, ...hashes]).size).toBe(variants.length + 1);
    expect(auditHash('f'.repeat(64), base)).not.toBe(h);
  });
});
