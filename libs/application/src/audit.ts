// The field-by-field diff an audit event records (the events themselves go through Repositories.audit).
/** The fields whose values differ, as { field: { from, to } }, for the audit trail. */
export function diff<T extends object>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    const from = (before as Record<string, unknown>)[field];
    if (!sameValue(from, to)) changes[field] = { from: serialise(from), to: serialise(to) };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

function serialise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}
