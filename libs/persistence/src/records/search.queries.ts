// Reads behind the search box: recommendations and inspections by reference, words of their text, owner, force or
// inspection, within what the reader may see.
import type { EntityManager } from 'typeorm';

/**
 * The words a recommendation is found by: its reference, text and owner. The same expression is indexed
 * (GIN, migration 1796000000001), so a search is an index probe, not a scan of every recommendation.
 */
export const RECOMMENDATION_SEARCH_VECTOR = `to_tsvector('english'::regconfig, (r.reference COLLATE "default") || ' ' || r.text || ' ' || coalesce(r.owner, ''))`;

export interface SearchRecommendationRow {
  id: string;
  reference: string;
  text: string;
  status: string;
  owner: string | null;
  createdAt: Date;
  organisationId: string;
  organisationName: string;
  inspectionId: string;
  inspectionTitle: string;
}

export interface SearchInspectionRow {
  id: string;
  title: string;
  programme: string;
  publishedAt: Date;
  organisationName: string;
}

export interface SearchRequest {
  words: string;
  /** The organisations the reader may see (null: every one). */
  visible: readonly string[] | null;
  /** Only this force (already checked to be visible). */
  organisationId: string | null;
  /** Whether drafts (and their recommendations) are found: inspectorate staff only. */
  drafts: boolean;
  /** The previous page's last row: creation time (ISO), reference, id. */
  after: readonly string[] | null;
  limit: number;
}

export class SearchQueries {
  constructor(private readonly db: EntityManager) {}

  /**
   * Recommendations whose reference, text or owner hold every word, or whose force or inspection the words name; in
   * creation order, then reference as people count, then id (keyset).
   */
  recommendations(req: SearchRequest): Promise<SearchRecommendationRow[]> {
    return this.db.query(
      // Each way of matching is its own branch, so each uses its index (the GIN words, the force's and the
      // inspection's keyset indexes); one OR across them made PostgreSQL scan in date order and test every row.
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
       hits AS (
         SELECT r.id FROM q, recommendations r WHERE ${RECOMMENDATION_SEARCH_VECTOR} @@ q.query
         UNION
         SELECT r.id FROM recommendations r WHERE r.organisation_id IN (SELECT so.id FROM q, organisations so WHERE to_tsvector('english', so.name) @@ q.query OR lower(so.code) = lower($1))
         UNION
         SELECT r.id FROM recommendations r WHERE r.inspection_id IN (SELECT si.id FROM q, inspections si WHERE to_tsvector('english', si.title || ' ' || si.programme) @@ q.query)
       )
       SELECT r.id, r.reference, r.text, r.status, r.owner, r.created_at AS "createdAt", r.organisation_id AS "organisationId",
              o.name AS "organisationName", r.inspection_id AS "inspectionId", i.title AS "inspectionTitle"
         FROM hits
         JOIN recommendations r ON r.id = hits.id
         JOIN organisations o ON o.id = r.organisation_id
         JOIN inspections i ON i.id = r.inspection_id
        WHERE ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR r.organisation_id = $3::uuid)
          AND ($7 OR NOT r.draft)
          AND ($4::timestamptz IS NULL OR (r.created_at, r.reference, r.id) > ($4::timestamptz, $5::text, $6::uuid))
        ORDER BY r.created_at, r.reference, r.id
        LIMIT ${Number(req.limit)}`,
      [
        req.words,
        req.visible,
        req.organisationId,
        req.after?.[0] ?? null,
        req.after?.[1] ?? null,
        req.after?.[2] ?? null,
        req.drafts,
      ],
    );
  }

  /** Up to `limit` inspections whose title or programme hold the words, or whose force they name; newest first. */
  inspections(req: Omit<SearchRequest, 'after'>): Promise<SearchInspectionRow[]> {
    return this.db.query(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query)
       SELECT i.id, i.title, i.programme, i.published_at AS "publishedAt", o.name AS "organisationName"
         FROM q, inspections i JOIN organisations o ON o.id = i.organisation_id
        WHERE ($2::uuid[] IS NULL OR i.organisation_id = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR i.organisation_id = $3::uuid)
          AND ($4 OR NOT i.draft)
          AND (to_tsvector('english', i.title || ' ' || i.programme || ' ' || o.name) @@ q.query OR lower(o.code) = lower($1))
        ORDER BY i.published_at DESC, i.id
        LIMIT ${Number(req.limit)}`,
      [req.words, req.visible, req.organisationId, req.drafts],
    );
  }
}
