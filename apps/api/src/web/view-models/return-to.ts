// Where to send a person after they sign in: only a path on this site, never another origin.

/** A local absolute path (`/x`), not `//host` or `/\host`, which browsers treat as another site. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- a control character refuses the address
  if (/[\u0000-\u001f\\]/.test(value)) return '/';
  return value;
}

export function signInPath(returnTo: string): string {
  const target = safeReturnTo(returnTo);
  return target === '/' ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(target)}`;
}
