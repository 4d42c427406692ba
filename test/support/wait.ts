// Waiting for a condition, never for a length of time: poll until a check yields a value; the timeout only guards
// against a hang.

/**
 * Polls `check` until it returns a value other than undefined, and returns that value. A check that
 * throws counts as "not yet"; after `timeoutMs` it fails naming `what` (and the last error, if any).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until)
      throw new Error(
        `${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls `holds` until it is true; as waitFor. */
export async function waitUntil(
  what: string,
  holds: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<void> {
  await waitFor(what, async () => ((await holds()) ? true : undefined), timeoutMs, everyMs);
}
