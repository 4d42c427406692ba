// The public register: per force, what was recommended in published reports and what became of it. Nothing else.
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { LONDON_ZONE, SECOND_MS, notFound } from '#domain';
import { CLOCK, type Clock } from '../tokens.js';

/** Every field the register serves, by level: the register test fails on any other. */
export interface RegisterStatusChange {
  date: string;
  status: string;
}
export interface RegisterRecommendation {
  id: string;
  reference: string;
  text: string;
  area: string | null;
  status: string;
  outcome: string | null;
  dueDate: string;
  statusChanges: RegisterStatusChange[];
  supersededById: string | null;
  supersedes: string[];
}
export interface RegisterInspection {
  id: string;
  title: string;
  programme: string;
  publishedDate: string;
  recommendations: RegisterRecommendation[];
}
export interface ForceRegister {
  organisation: { code: string; name: string };
  inspections: RegisterInspection[];
}
export interface RegisterForce {
  code: string;
  name: string;
  inspections: number;
  recommendations: number;
  open: number;
}

/** What a conditional GET compares: changes whenever anything the register shows could change. */
export interface RegisterVersion {
  etag: string;
  lastModified: Date;
}

const londonDate = (at: Date): string => DateTime.fromJSDate(at, { zone: LONDON_ZONE }).toISODate()!;

/** Shown on the register: published by now and not withheld. */
const PUBLIC_INSPECTION = `i.published_at <= $2 AND i.register_withheld_reason IS NULL`;

@Injectable()
export class RegisterService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forces(): Promise<RegisterForce[]> {
    const rows = (await this.db.query(
      `SELECT o.code, o.name, count(DISTINCT i.id)::int AS inspections, count(r.id)::int AS recommendations,
              count(r.id) FILTER (WHERE r.status <> 'closed')::int AS open
         FROM organisations o
         LEFT JOIN inspections i ON i.organisation_id = o.id AND ${PUBLIC_INSPECTION.replaceAll('$2', '$1')}
         LEFT JOIN recommendations r ON r.inspection_id = i.id
        GROUP BY o.id ORDER BY o.name`,
      [this.clock.now()],
    )) as RegisterForce[];
    return rows;
  }

  /** The register's version for `code` without building it (NotFound for an unknown force). */
  async version(code: string): Promise<RegisterVersion> {
    const [row] = (await this.db.query(
      `SELECT o.id, count(r.id)::int AS n,
              greatest(o.updated_at, max(r.updated_at), (SELECT max(updated_at) FROM inspections WHERE organisation_id = o.id)) AS last_modified,
              (SELECT count(*) FROM inspections i WHERE i.organisation_id = o.id AND ${PUBLIC_INSPECTION})::int AS published
         FROM organisations o
         LEFT JOIN inspections i ON i.organisation_id = o.id AND ${PUBLIC_INSPECTION}
         LEFT JOIN recommendations r ON r.inspection_id = i.id
        WHERE o.code = $1 GROUP BY o.id`,
      [code.toUpperCase(), this.clock.now()],
    )) as Array<{ id: string; n: number; last_modified: Date; published: number }>;
    if (!row) throw notFound('register');
    // HTTP dates have whole seconds.
    const lastModified = new Date(Math.floor(row.last_modified.getTime() / SECOND_MS) * SECOND_MS);
    const etag = `"${createHash('sha256').update(`${row.id}|${row.n}|${row.published}|${row.last_modified.toISOString()}`).digest('base64url').slice(0, 27)}"`;
    return { etag, lastModified };
  }

  async register(code: string): Promise<ForceRegister> {
    const now = this.clock.now();
    const [organisation] = (await this.db.query(`SELECT id, code, name FROM organisations WHERE code = $1`, [code.toUpperCase()])) as Array<{ id: string; code: string; name: string }>;
    if (!organisation) throw notFound('register');
    const [inspections, recs, changes] = await Promise.all([
      this.db.query(
        `SELECT i.id, i.title, i.programme, i.published_at FROM inspections i WHERE i.organisation_id = $1 AND ${PUBLIC_INSPECTION} ORDER BY i.published_at DESC, i.id`,
        [organisation.id, now],
      ) as Promise<Array<{ id: string; title: string; programme: string; published_at: Date }>>,
      // Lineage is shown only where the other end is itself on the register.
      this.db.query(
        `SELECT r.id, r.inspection_id, r.reference, r.text, r.area, r.status, r.outcome, r.due_at,
                (SELECT s.id FROM recommendations s JOIN inspections si ON si.id = s.inspection_id
                  WHERE s.id = r.superseded_by_id AND ${PUBLIC_INSPECTION.replaceAll('i.', 'si.')}) AS superseded_by_id,
                ARRAY(SELECT e.id FROM recommendations e JOIN inspections ei ON ei.id = e.inspection_id
                       WHERE e.superseded_by_id = r.id AND ${PUBLIC_INSPECTION.replaceAll('i.', 'ei.')} ORDER BY e.created_at, e.id) AS supersedes
           FROM recommendations r JOIN inspections i ON i.id = r.inspection_id
          WHERE r.organisation_id = $1 AND ${PUBLIC_INSPECTION}
          ORDER BY r.created_at, r.reference`,
        [organisation.id, now],
      ) as Promise<Array<{ id: string; inspection_id: string; reference: string; text: string; area: string | null; status: string; outcome: string | null; due_at: Date; superseded_by_id: string | null; supersedes: string[] }>>,
      this.db.query(
        `SELECT a.entity_id, a.at, a.to_status FROM audit_events a
          WHERE a.entity_type = 'recommendation' AND a.to_status IS NOT NULL
            AND (a.from_status IS NULL OR a.from_status <> a.to_status)
            AND a.entity_id IN (SELECT r.id FROM recommendations r JOIN inspections i ON i.id = r.inspection_id WHERE r.organisation_id = $1 AND ${PUBLIC_INSPECTION})
          ORDER BY a.seq`,
        [organisation.id, now],
      ) as Promise<Array<{ entity_id: string; at: Date; to_status: string }>>,
    ]);
    const changesOf = new Map<string, RegisterStatusChange[]>();
    for (const c of changes) {
      const list = changesOf.get(c.entity_id) ?? [];
      list.push({ date: londonDate(c.at), status: c.to_status });
      changesOf.set(c.entity_id, list);
    }
    const recsOf = new Map<string, RegisterRecommendation[]>();
    for (const r of recs) {
      const list = recsOf.get(r.inspection_id) ?? [];
      list.push({
        id: r.id,
        reference: r.reference,
        text: r.text,
        area: r.area,
        status: r.status,
        outcome: r.outcome,
        dueDate: londonDate(r.due_at),
        statusChanges: changesOf.get(r.id) ?? [],
        supersededById: r.superseded_by_id,
        supersedes: r.supersedes,
      });
      recsOf.set(r.inspection_id, list);
    }
    return {
      organisation: { code: organisation.code, name: organisation.name },
      inspections: inspections.map((i) => ({
        id: i.id,
        title: i.title,
        programme: i.programme,
        publishedDate: londonDate(i.published_at),
        recommendations: recsOf.get(i.id) ?? [],
      })),
    };
  }
}

/** The register as one CSV row per recommendation. */
export const REGISTER_CSV_COLUMNS = [
  { header: 'inspection', value: (r: RegisterCsvRow) => r.inspection.title },
  { header: 'programme', value: (r: RegisterCsvRow) => r.inspection.programme },
  { header: 'published date', value: (r: RegisterCsvRow) => r.inspection.publishedDate },
  { header: 'reference', value: (r: RegisterCsvRow) => r.rec.reference },
  { header: 'text', value: (r: RegisterCsvRow) => r.rec.text },
  { header: 'area', value: (r: RegisterCsvRow) => r.rec.area },
  { header: 'status', value: (r: RegisterCsvRow) => r.rec.status },
  { header: 'outcome', value: (r: RegisterCsvRow) => r.rec.outcome },
  { header: 'due date', value: (r: RegisterCsvRow) => r.rec.dueDate },
  { header: 'status changes', value: (r: RegisterCsvRow) => r.rec.statusChanges.map((c) => `${c.date} ${c.status}`).join('; ') },
  { header: 'id', value: (r: RegisterCsvRow) => r.rec.id },
  { header: 'superseded by', value: (r: RegisterCsvRow) => r.rec.supersededById },
  { header: 'supersedes', value: (r: RegisterCsvRow) => r.rec.supersedes.join('; ') },
];
export interface RegisterCsvRow {
  inspection: RegisterInspection;
  rec: RegisterRecommendation;
}
export const registerCsvRows = (register: ForceRegister): RegisterCsvRow[] =>
  register.inspections.flatMap((inspection) => inspection.recommendations.map((rec) => ({ inspection, rec })));
