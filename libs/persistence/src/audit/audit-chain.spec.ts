// Unit tests of the audit chain's canonical form, keyed hash and signed checkpoints.
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { auditChainKey, chainHash, GENESIS_HASH } from './audit-chain.js';
import { checkpointKeys, signCheckpoint, verifiedCheckpoint } from './audit-checkpoint.js';
import { canonicalJson, type AuditEventFields } from './audit-log.js';

const base: AuditEventFields = {
  seq: '1',
  id: '00000000-0000-4000-8000-00000000000a',
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
const key = auditChainKey('k'.repeat(32));

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, writes Dates as ISO and drops undefined', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: new Date('2026-01-01T00:00:00Z'), u: undefined } }),
    ).toBe('{"a":{"c":"2026-01-01T00:00:00.000Z","d":[3,{"x":2,"y":1}]},"b":1}');
  });
});

describe('chainHash', () => {
  it('is an HMAC-SHA256 hex digest, the same whatever the key order of changes', () => {
    const h = chainHash(key, GENESIS_HASH, '1', base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(
      chainHash(key, GENESIS_HASH, '1', { ...base, changes: { rag: { from: null, to: 'green' }, owner: 'DCI Smith' } }),
    ).toBe(h);
  });

  it('cannot be recomputed without the key: another key, or plain sha256 of the same payload, gives another hash', () => {
    const h = chainHash(key, GENESIS_HASH, '1', base);
    expect(chainHash(auditChainKey('x'.repeat(32)), GENESIS_HASH, '1', base)).not.toBe(h);
    const unkeyed = createHash('sha256')
      .update(canonicalJson({ prevHash: GENESIS_HASH, position: '1', ...base, at: base.at.toISOString() }))
      .digest('hex');
    expect(unkeyed).not.toBe(h);
  });

  it('changes with the previous hash, the position and every field', () => {
    const h = chainHash(key, GENESIS_HASH, '1', base);
    const variants: Array<Partial<AuditEventFields>> = [
      { seq: '2' },
      { id: '00000000-0000-4000-8000-00000000000b' },
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
    const hashes = variants.map((v) => chainHash(key, GENESIS_HASH, '1', { ...base, ...v }));
    expect(new Set([h, ...hashes]).size).toBe(variants.length + 1);
    expect(chainHash(key, 'f'.repeat(64), '1', base)).not.toBe(h);
    expect(chainHash(key, GENESIS_HASH, '2', base)).not.toBe(h);
  });
});

describe('signed checkpoints', () => {
  const keys = checkpointKeys('k'.repeat(32));
  const head = { position: '42', hash: 'a'.repeat(64) };
  const checkpoint = signCheckpoint(keys, head, new Date('2026-11-29T09:00:00Z'));

  it('verify with the same AUDIT_KEY and give back the head', () => {
    expect(checkpoint).toMatchObject({
      position: 42,
      hash: head.hash,
      issuedAt: '2026-11-29T09:00:00.000Z',
      algorithm: 'Ed25519',
    });
    expect(verifiedCheckpoint(keys, JSON.parse(JSON.stringify(checkpoint)))).toEqual(head);
    // the same key derives the same key pair in every process
    expect(checkpointKeys('k'.repeat(32)).publicKeyBase64).toBe(keys.publicKeyBase64);
  });

  it('refuse a changed position or hash, another key, and a re-signed one carrying its own public key', () => {
    expect(() => verifiedCheckpoint(keys, { ...checkpoint, position: 41 })).toThrow(/signature does not verify/);
    expect(() => verifiedCheckpoint(keys, { ...checkpoint, hash: 'b'.repeat(64) })).toThrow(
      /signature does not verify/,
    );
    const forger = checkpointKeys('f'.repeat(32));
    const forged = signCheckpoint(forger, { position: '1', hash: head.hash }, new Date());
    expect(() => verifiedCheckpoint(keys, forged)).toThrow(/signature does not verify/);
    expect(() => verifiedCheckpoint(keys, { ...checkpoint, position: 'x' })).toThrow(/position/);
    expect(() => verifiedCheckpoint(keys, null)).toThrow(/not a JSON object/);
  });
});
