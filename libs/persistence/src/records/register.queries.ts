// Reads behind the public register: forces, published inspections, their recommendations and status changes.
import type { EntityManager } from 'typeorm';

/** Shown on the register: published (not a draft), its report date reached, and not withheld. */
const PUBLIC_INSPECTION = `NOT i.draft AND i.published_at <= $2 AND i.register_withheld_reason IS NULL`;

/** A force on the register's front page: what it has published and how much is still open. */
export interface RegisterForce {
  code: string;
  name: string;
  inspections: number;
  recommendations: number;
  open: number;
}

/** What the register's version is computed from. */
export interface RegisterVersionRow {
  id: string;
  n: number;
  lastModified: Date;
  published: number;
  /** md5 of the shown rows' ids and change times. */
  fingerprint: string;
}

export interface RegisterOrganisationRow {
  id: string;
  code: string;
  name: string;
}

export interface RegisterInspectionRow {
  id: string;
  title: string;
  programme: string;
  publishedAt: Date;
}

export interface RegisterRecommendationRow {
  id: string;
  inspectionId: string;
  reference: string;
  text: string;
  area: string | null;
  status: string;
  outcome: string | null;
  dueAt: Date;
  supersededById: string | null;
  supersedes: string[];
}

export interface RegisterStatusChangeRow {
  entityId: string;
  at: Date;
  toStatus: string;
}

/** Only what the register may show: inspections published by `now` and not withheld, and what hangs off them. */
export class RegisterQueries {
  constructor(private readonly db: EntityManager) {}

  /** Every force with its counts of published inspections, their recommendations, and those still open. */
  forces(now: Date): Promise<RegisterForce[]> {
    return this.db.query(
      `SELECT o.code, o.name, count(DISTINCT i.id)::int AS inspections, count(r.id)::int AS recommendations,
              count(r.id) FILTER (WHERE r.status <> 'closed')::int AS open
         FROM organisations o
         LEFT JOIN inspections i ON i.organisation_id = o.id AND ${PUBLIC_INSPECTION.replaceAll('$2', '$1')}
         LEFT JOIN recommendations r ON r.inspection_id = i.id
        GROUP BY o.id ORDER BY o.name`,
      [now],
    );
  }

  /**
   * The figures that change whenever the register of the force with `code` (upper case) could, read from
   * published data only (the force, its inspections on the register and their recommendations), so that
   * editing an inspection not yet published, or withheld, changes nothing the public can see, not even
   * the ETag or Last-Modified. `fingerprint` covers which rows are shown and when each last changed, so an
   * inspection leaving or joining the register changes it too. Null for no such force.
   */
  async version(code: string, now: Date): Promise<RegisterVersionRow | null> {
    const [row] = await this.db.query<RegisterVersionRow[]>(
      `WITH o AS (SELECT id, code, name, updated_at FROM organisations WHERE code = $1),
            shown AS (SELECT i.id, i.updated_at, i.published_at FROM inspections i, o WHERE i.organisation_id = o.id AND ${PUBLIC_INSPECTION}),
            recs AS (SELECT r.id, r.updated_at FROM recommendations r JOIN shown s ON s.id = r.inspection_id)
       SELECT o.id,
              (SELECT count(*) FROM recs)::int AS n,
              (SELECT count(*) FROM shown)::int AS published,
              greatest(o.updated_at, (SELECT max(greatest(updated_at, published_at)) FROM shown), (SELECT max(updated_at) FROM recs)) AS "lastModified",
              md5(o.code || '|' || o.name
                  || '|' || coalesce((SELECT string_agg(id::text || '@' || updated_at::text, ',' ORDER BY id) FROM shown), '')
                  || '|' || coalesce((SELECT string_agg(id::text || '@' || updated_at::text, ',' ORDER BY id) FROM recs), '')) AS fingerprint
         FROM o`,
      [code, now],
    );
    return row ?? null;
  }

  /** The force with `code` (upper case), or null. */
  async organisation(code: string): Promise<RegisterOrganisationRow | null> {
    const [organisation] = await this.db.query<RegisterOrganisationRow[]>(
      `SELECT id, code, name FROM organisations WHERE code = $1`,
      [code],
    );
    return organisation ?? null;
  }

  /** A force's published inspections, newest first. */
  inspections(organisationId: string, now: Date): Promise<RegisterInspectionRow[]> {
    return this.db.query(
      `SELECT i.id, i.title, i.programme, i.published_at AS "publishedAt" FROM inspections i WHERE i.organisation_id = $1 AND ${PUBLIC_INSPECTION} ORDER BY i.published_at DESC, i.id`,
      [organisationId, now],
    );
  }

  /**
   * The recommendations of a force's published inspections; lineage only where the other end is itself on the register.
   */
  recommendations(organisationId: string, now: Date): Promise<RegisterRecommendationRow[]> {
    return this.db.query(
      `SELECT r.id, r.inspection_id AS "inspectionId", r.reference, r.text, r.area, r.status, r.outcome, r.due_at AS "dueAt",
                (SELECT s.id FROM recommendations s JOIN inspections si ON si.id = s.inspection_id
                  WHERE s.id = r.superseded_by_id AND ${PUBLIC_INSPECTION.replaceAll('i.', 'si.')}) AS "supersededById",
                ARRAY(SELECT e.id FROM recommendations e JOIN inspections ei ON ei.id = e.inspection_id
                       WHERE e.superseded_by_id = r.id AND ${PUBLIC_INSPECTION.replaceAll('i.', 'ei.')} ORDER BY e.created_at, e.id) AS supersedes
           FROM recommendations r JOIN inspections i ON i.id = r.inspection_id
          WHERE r.organisation_id = $1 AND ${PUBLIC_INSPECTION}
          ORDER BY r.created_at, r.reference`,
      [organisationId, now],
    );
  }

  /** Each change of status of those recommendations, in the audit log's order. */
  statusChanges(organisationId: string, now: Date): Promise<RegisterStatusChangeRow[]> {
    return this.db.query(
      `SELECT a.entity_id AS "entityId", a.at, a.to_status AS "toStatus" FROM audit_events a
          WHERE a.entity_type = 'recommendation' AND a.to_status IS NOT NULL
            AND (a.from_status IS NULL OR a.from_status <> a.to_status)
            AND a.entity_id IN (SELECT r.id FROM recommendations r JOIN inspections i ON i.id = r.inspection_id WHERE r.organisation_id = $1 AND ${PUBLIC_INSPECTION})
          ORDER BY a.seq`,
      [organisationId, now],
    );
  }
}
