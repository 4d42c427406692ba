// The load benchmark's baseline: a bare NestJS app that runs the tracker's recommendation SQL with raw pg
// and answers the same JSON, with no guard, pipe, logger, ORM or token; started by bench/load.bench.ts.
import 'reflect-metadata';
import { Controller, Get, Module, NotFoundException, Param, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { Role, type Actor } from '#domain';
import { decodeCursor, encodeCursor, toPage } from '../../libs/application/src/paging.js';
import {
  HISTORY_IN_DETAIL,
  RECOMMENDATION_DETAIL_SQL,
  recommendationListQuery,
  recommendationListSql,
  type RecommendationDetailRow,
  type RecommendationListRow,
} from '../../libs/persistence/src/recommendations/recommendation.queries.js';
import { recommendationView } from '../../libs/application/src/views.js';

const PG_DATE_OID = 1082;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  // As the tracker's pool: a `date` stays the `YYYY-MM-DD` string it is.
  types: {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === PG_DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format),
  },
});
/** The administrator the tracker is driven as, so that `allowedActions` come out the same. */
const ADMIN: Actor = { id: process.env.BASELINE_ACTOR_ID ?? '', role: Role.Admin, organisationIds: [] };

/** The access guard's question in one statement: who is this user, and which forces are theirs. */
const ACTOR_SQL = `SELECT u.id, u.role, coalesce(array_agg(m.organisation_id) FILTER (WHERE m.organisation_id IS NOT NULL), '{}') AS "organisationIds"
  FROM users u LEFT JOIN user_organisations m ON m.user_id = u.id WHERE u.id = $1 GROUP BY u.id`;

async function overduePage(cursor: string | undefined) {
  const now = new Date();
  // The tracker's own keyset and conditions for an administrator's overdue list (GET /recommendations?overdue=true).
  const query = recommendationListQuery({
    filter: { overdue: true },
    visible: 'all',
    drafts: true,
    order: 'nextDeadlineAt',
    after: decodeCursor(cursor, ['timestamp', 'text', 'uuid']),
    now,
    limit: 51,
  });
  const { sql, params } = recommendationListSql(query);
  const { rows } = await pool.query<RecommendationListRow>(sql, params);
  return toPage(
    rows,
    50,
    (r) => recommendationView(r, ADMIN, now, r.supersedes),
    (r) => [r.nextDeadlineAt!.toISOString(), r.reference, r.id],
  );
}

async function detail(id: string) {
  const { rows } = await pool.query<RecommendationDetailRow>(RECOMMENDATION_DETAIL_SQL, [
    id,
    HISTORY_IN_DETAIL + 1,
    null,
  ]);
  if (!rows[0]) throw new NotFoundException();
  const { evidence, history, supersedes, ...rec } = rows[0];
  const entries = history.slice(0, HISTORY_IN_DETAIL).map(({ seq: _seq, id: _id, ...entry }) => entry);
  const last = history.length > HISTORY_IN_DETAIL ? history[HISTORY_IN_DETAIL - 1] : null;
  return {
    ...recommendationView(rec, ADMIN, new Date(), supersedes),
    evidence,
    history: entries,
    historyNextCursor: last ? encodeCursor([last.seq, last.id]) : null,
  };
}

async function lookUpActor(): Promise<void> {
  const { rows } = await pool.query(ACTOR_SQL, [ADMIN.id]);
  if (!rows[0]) throw new NotFoundException();
}

/** `/raw/...`: the recommendation SQL only. `/raw-actor/...`: the actor lookup first, as every tracker request does. */
@Controller()
class BaselineController {
  @Get('raw/recommendations')
  list(@Query('cursor') cursor?: string) {
    return overduePage(cursor);
  }

  @Get('raw/recommendations/:id')
  get(@Param('id') id: string) {
    return detail(id);
  }

  @Get('raw-actor/recommendations')
  async listWithActor(@Query('cursor') cursor?: string) {
    await lookUpActor();
    return overduePage(cursor);
  }

  @Get('raw-actor/recommendations/:id')
  async getWithActor(@Param('id') id: string) {
    await lookUpActor();
    return detail(id);
  }
}

@Module({ controllers: [BaselineController] })
class BaselineModule {}

const app = await NestFactory.create(BaselineModule, { logger: false });
await app.listen(Number(process.env.PORT ?? 3100), '127.0.0.1');
console.log('baseline listening');
