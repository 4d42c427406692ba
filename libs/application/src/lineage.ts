// Which recommendations name others as superseding them, read in one query for any number of them.
import type { DataSource, EntityManager } from 'typeorm';

/** For each id, the ids of the recommendations it supersedes (that name it as `superseded_by_id`). */
export async function supersedesOf(db: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return result;
  const rows = (await db.query(
    `SELECT id, superseded_by_id FROM recommendations WHERE superseded_by_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [ids],
  )) as Array<{ id: string; superseded_by_id: string }>;
  for (const row of rows) result.get(row.superseded_by_id)?.push(row.id);
  return result;
}
