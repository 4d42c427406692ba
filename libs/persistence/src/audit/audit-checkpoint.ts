// Signed checkpoints of the audit chain: Ed25519 with a key pair derived from AUDIT_KEY.
import { createHmac, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './audit-log.js';
import type { ChainHead } from './audit-chain.js';

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SIGNED_CONTEXT = 'followup-audit-checkpoint-v1\n';

/** What `GET /audit/checkpoint` answers and `npm run audit:verify -- --checkpoint FILE` reads. */
export interface AuditCheckpoint {
  /** The chain's length when issued (0: empty). */
  position: number;
  /** The hash of the link at `position`. */
  hash: string;
  issuedAt: string;
  algorithm: 'Ed25519';
  /** Raw 32-byte public key, base64: anyone may check the signature with it without AUDIT_KEY. */
  publicKey: string;
  /** Ed25519 over the canonical JSON of { position, hash, issuedAt }, base64. */
  signature: string;
}

export interface CheckpointKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyBase64: string;
}

/**
 * The checkpoint key pair, derived deterministically from AUDIT_KEY (HMAC with its own label, so it is
 * not the chain's key): every process with the key signs alike, and the public half can be published.
 */
export function checkpointKeys(auditKey: string): CheckpointKeys {
  const seed = createHmac('sha256', auditKey).update('followup-audit-checkpoint-v1').digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, publicKeyBase64: spki.subarray(spki.length - 32).toString('base64') };
}

function signedBytes(c: Pick<AuditCheckpoint, 'position' | 'hash' | 'issuedAt'>): Buffer {
  return Buffer.from(
    SIGNED_CONTEXT + canonicalJson({ position: c.position, hash: c.hash, issuedAt: c.issuedAt }),
    'utf8',
  );
}

export function signCheckpoint(keys: CheckpointKeys, head: ChainHead, issuedAt: Date): AuditCheckpoint {
  const body = { position: Number(head.position), hash: head.hash, issuedAt: issuedAt.toISOString() };
  return {
    ...body,
    algorithm: 'Ed25519',
    publicKey: keys.publicKeyBase64,
    signature: sign(null, signedBytes(body), keys.privateKey).toString('base64'),
  };
}

/**
 * Parses a checkpoint (e.g. a file's JSON) and checks its signature with the key pair of this AUDIT_KEY
 * (never with the public key the checkpoint itself carries). Throws, saying why, unless it holds.
 */
export function verifiedCheckpoint(keys: CheckpointKeys, value: unknown): ChainHead {
  const c = value as Partial<AuditCheckpoint> | null;
  if (!c || typeof c !== 'object') throw new Error('the checkpoint is not a JSON object');
  if (!Number.isSafeInteger(c.position) || (c.position as number) < 0)
    throw new Error('the checkpoint has no valid position');
  if (typeof c.hash !== 'string' || !/^[0-9a-f]{64}$/.test(c.hash)) throw new Error('the checkpoint has no valid hash');
  if (typeof c.issuedAt !== 'string' || typeof c.signature !== 'string')
    throw new Error('the checkpoint has no issuedAt or no signature');
  const ok = verify(null, signedBytes(c as AuditCheckpoint), keys.publicKey, Buffer.from(c.signature, 'base64'));
  if (!ok) throw new Error('the checkpoint signature does not verify with this AUDIT_KEY');
  return { position: String(c.position), hash: c.hash };
}
