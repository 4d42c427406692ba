// The public register: per force, what was recommended in published reports and what became of it. Nothing else.
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { LONDON_ZONE, SECOND_MS, notFound } from '#domain';
import { Storage, type RegisterForce } from '#persistence';
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
export type { RegisterForce };

/**
 * What a conditional GET compares: changes whenever anything the register shows could change, and only then (published
 * data only).
 */
export interface RegisterVersion {
  etag: string;
  lastModified: Date;
}

const londonDate = (at: Date): string => DateTime.fromJSDate(at, { zone: LONDON_ZONE }).toISODate()!;

@Injectable()
export class RegisterService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forces(): Promise<RegisterForce[]> {
    return this.storage.pool.register.forces(this.clock.now());
  }

  /** The register's version for `code` without building it (NotFound for an unknown force). */
  async version(code: string): Promise<RegisterVersion> {
    const row = await this.storage.pool.register.version(code.toUpperCase(), this.clock.now());
    if (!row) throw notFound('register');
    // HTTP dates have whole seconds.
    const lastModified = new Date(Math.floor(row.lastModified.getTime() / SECOND_MS) * SECOND_MS);
    const etag = `"${createHash('sha256').update(`${row.id}|${row.n}|${row.published}|${row.lastModified.toISOString()}|${row.fingerprint}`).digest('base64url').slice(0, 27)}"`;
    return { etag, lastModified };
  }

  async register(code: string): Promise<ForceRegister> {
    const now = this.clock.now();
    const register = this.storage.pool.register;
    const organisation = await register.organisation(code.toUpperCase());
    if (!organisation) throw notFound('register');
    const [inspections, recs, changes] = await Promise.all([
      register.inspections(organisation.id, now),
      register.recommendations(organisation.id, now),
      register.statusChanges(organisation.id, now),
    ]);
    const changesOf = new Map<string, RegisterStatusChange[]>();
    for (const c of changes) {
      const list = changesOf.get(c.entityId) ?? [];
      list.push({ date: londonDate(c.at), status: c.toStatus });
      changesOf.set(c.entityId, list);
    }
    const recsOf = new Map<string, RegisterRecommendation[]>();
    for (const r of recs) {
      const list = recsOf.get(r.inspectionId) ?? [];
      list.push({
        id: r.id,
        reference: r.reference,
        text: r.text,
        area: r.area,
        status: r.status,
        outcome: r.outcome,
        dueDate: londonDate(r.dueAt),
        statusChanges: changesOf.get(r.id) ?? [],
        supersededById: r.supersededById,
        supersedes: r.supersedes,
      });
      recsOf.set(r.inspectionId, list);
    }
    return {
      organisation: { code: organisation.code, name: organisation.name },
      inspections: inspections.map((i) => ({
        id: i.id,
        title: i.title,
        programme: i.programme,
        publishedDate: londonDate(i.publishedAt),
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
  {
    header: 'status changes',
    value: (r: RegisterCsvRow) => r.rec.statusChanges.map((c) => `${c.date} ${c.status}`).join('; '),
  },
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
