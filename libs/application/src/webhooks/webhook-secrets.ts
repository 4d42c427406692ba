// Webhook signing secrets: made in the Standard Webhooks form (whsec_…) and kept sealed (AES-256-GCM) under a key
// derived from AUDIT_KEY.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A new signing secret: 24 random bytes, base64, with the Standard Webhooks prefix. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

const SEALED_PREFIX = 'v1.';

/**
 * Seals secrets for the database: the key is HKDF-SHA256 of the process's AUDIT_KEY (which never enters
 * the database), so a copy of the database alone cannot sign as the tracker. Sealed form:
 * `v1.` + base64(12-byte IV | 16-byte tag | ciphertext).
 */
export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(rootKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', rootKey, 'followup-tracker', 'webhook-secret-encryption', 32));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(SEALED_PREFIX)) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
