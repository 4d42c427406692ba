// Personal API tokens: `fut_` and 256 random bits (base64url), so secret scanners can find one; only the sha256 is
// kept.
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'fut_';
/** What a personal token looks like: anything else is not one (a JWT, say) and is never looked up. */
export const API_TOKEN = /^fut_[A-Za-z0-9_-]{43}$/;

export function mintApiToken(): { token: string; hash: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

/**
 * sha256 is enough: the token is 256 random bits, so nothing can be guessed from its hash, and it costs microseconds
 * per request.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
