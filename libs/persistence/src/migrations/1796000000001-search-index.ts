// Migration: the search box's index: a GIN index over the words a recommendation is found by (reference, text, owner).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The expression must stay exactly RECOMMENDATION_SEARCH_VECTOR (records/search.queries.ts), or PostgreSQL will not use
 * it.
 */
export class SearchIndex1796000000001 implements MigrationInterface {
  name = 'SearchIndex1796000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_recommendations_search ON recommendations USING gin (to_tsvector('english'::regconfig, (reference COLLATE "default") || ' ' || text || ' ' || coalesce(owner, '')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_recommendations_search`);
  }
}
