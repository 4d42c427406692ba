// Figures the operators' metrics read from the notification ledger at scrape time: rows per status and kind, and the
// oldest due but unsent.
import type { EntityManager } from 'typeorm';

export interface LedgerFigures {
  byStatusAndKind: { status: string; kind: string; rows: number }[];
  /** Seconds since the send time of the oldest row still waiting to go (0 when none is due). */
  oldestDueSeconds: number;
}

export class LedgerFiguresQueries {
  constructor(private readonly db: EntityManager) {}

  async figures(now: Date): Promise<LedgerFigures> {
    const rows: { status: string; kind: string; n: string }[] = await this.db.query(
      `SELECT status, kind, count(*) AS n FROM notifications GROUP BY status, kind`,
    );
    // The partial index on send_at (scheduled rows) answers this; rows being sent count as unsent until recorded.
    const [due]: { age: number | null }[] = await this.db.query(
      `SELECT EXTRACT(EPOCH FROM ($1::timestamptz - min(send_at)))::float8 AS age FROM notifications WHERE status IN ('scheduled', 'sending') AND send_at <= $1`,
      [now],
    );
    return {
      byStatusAndKind: rows.map((r) => ({ status: r.status, kind: r.kind, rows: Number(r.n) })),
      oldestDueSeconds: Math.max(0, due?.age ?? 0),
    };
  }
}
