// The one list of URL parts that are credentials (feed tokens, one-time links, CSRF tokens in a query string), and the
// mask applied to every log line.

/**
 * Path prefixes whose next segment is a secret: whoever holds the URL holds the access. Add any new
 * one-time or bearer link here (and nowhere else): every log line of the api and the worker is masked.
 */
export const SECRET_PATH_PREFIXES: readonly string[] = [
  '/calendar/', // calendar feed: /calendar/<token>.ics
  '/invitations/', // invitation: /invitations/<token>
  '/reset-password/', // password reset: /reset-password/<token>
];

/**
 * Query parameters whose values are secrets (a multipart form's CSRF token travels in `_csrf`; the identity
 * provider's answer at /sign-in/oidc/callback carries the authorization `code` and the `state`; a logout's
 * `id_token_hint`).
 */
export const SECRET_QUERY_PARAMETERS: readonly string[] = ['_csrf', 'token', 'code', 'state', 'id_token_hint'];

export const MASK = '[masked]';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// A route pattern (`/calendar/:file` in Nest's start-up lines) is no secret and stays readable.
const PATHS = new RegExp(`(${SECRET_PATH_PREFIXES.map(escape).join('|')})(?!:)[^/?#\\s"'\\\\]+`, 'g');
const QUERIES = new RegExp(`([?&](?:${SECRET_QUERY_PARAMETERS.map(escape).join('|')})=)[^&#\\s"'\\\\]+`, 'g');

/** `text` with every secret path segment and query value replaced by MASK (`/calendar/[masked]`). */
export function maskSecrets(text: string): string {
  if (!text.includes('/') && !text.includes('=')) return text;
  return text.replace(PATHS, `$1${MASK}`).replace(QUERIES, `$1${MASK}`);
}

/** A log stream that writes each line masked: wraps the real destination, keeping its flush for exit. */
export function maskingStream<
  T extends { write(line: string): unknown; flush?(cb?: (err?: Error) => void): void; flushSync?(): void },
>(destination: T): { write(line: string): unknown; flush(cb?: (err?: Error) => void): void; flushSync(): void } {
  return {
    write: (line: string) => destination.write(maskSecrets(line)),
    flush: (cb) => (destination.flush ? destination.flush(cb) : cb?.()),
    flushSync: () => destination.flushSync?.(),
  };
}
