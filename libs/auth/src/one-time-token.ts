// One-time link tokens: 256 random bits, URL-safe; only their sha256 is ever stored.
import { createHash, randomBytes } from 'node:crypto';

/** What a link's token looks like; anything else is refused before a database lookup. */
export const ONE_TIME_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function mintOneTimeToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
