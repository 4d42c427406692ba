// Small secrets kept in the database encrypted (AES-256-GCM), with a key derived from a setting that never enters the
// database.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A 32-byte key for `purpose`, derived from `root` (e.g. AUDIT_KEY). */
export const deriveKey = (root: string, purpose: string): Buffer =>
  createHmac('sha256', root).update(`followup ${purpose}`).digest();

/** `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
export function sealSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Throws when the text was not sealed with this key or was changed. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
