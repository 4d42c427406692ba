// `/dashboard`: the oversight figures as a page, and `/dashboard/list`: the recommendations behind any figure, with its
// CSV.
import { Controller, Get, Query, Res, UseFilters, Version } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DashboardService,
  OrganisationsService,
  ToDoService,
  WorkQueries,
  RECOMMENDATION_CSV_COLUMNS,
  RecommendationsService,
  csvHeader,
  csvRows,
  type DashboardFilter,
  type RecommendationFilter,
} from '#application';
import { Page } from '#auth';
import {
  AGE_BANDS,
  Role,
  endOfLondonMonth,
  monthsBetween,
  staleBefore,
  subtractDuration,
  type Actor,
  type AgeBand,
} from '#domain';
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '#domain';
import { CsvDownload, sendCsv } from '../../shared/csv.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { recommendationTableRow } from '../view-models/recommendation-table-row.js';
import { AGE_BAND_LABELS, dashboardModel } from '../view-models/records/dashboard.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

const OVERSIGHT_ROLES = [Role.Admin, Role.Manager, Role.Inspector];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONTH = /^\d{4}-\d{2}-01$/;
const STATES = { open: 'Open', overdue: 'Overdue', closed: 'Closed' } as const;

type QueryParams = Record<string, unknown>;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 200 ? value : undefined;

/** The page's filters from its query string; anything malformed is ignored rather than refused. */
function dashboardFilter(query: QueryParams): DashboardFilter {
  const organisationId = text(query.organisationId);
  const area = text(query.area);
  const from = text(query.from);
  const to = text(query.to);
  return {
    organisationId: organisationId && UUID.test(organisationId) ? organisationId : undefined,
    programme: text(query.programme) || undefined,
    area: area === undefined || area === '*' ? undefined : area,
    from: from && MONTH.test(from) ? DateTime.fromISO(from, { zone: LONDON_ZONE }).toJSDate() : undefined,
    to: to && MONTH.test(to) ? new Date(endOfLondonMonth(to).getTime() - 1) : undefined,
  };
}

function listFilter(
  query: QueryParams,
  now: Date,
  staleAfter: string,
): { filter: RecommendationFilter; state: keyof typeof STATES } {
  const base = dashboardFilter(query);
  const state = (Object.keys(STATES) as (keyof typeof STATES)[]).find((s) => s === query.state) ?? 'open';
  const ageBand = AGE_BANDS.find((b): b is AgeBand => b === query.ageBand);
  return {
    state,
    filter: {
      organisationId: base.organisationId,
      programme: base.programme,
      area: base.area,
      ...(state === 'overdue' ? { overdue: true } : { open: state === 'open' }),
      ageBand: state === 'overdue' ? ageBand : undefined,
      publishedBefore: query.openedBefore === 'P12M' ? subtractDuration(now, 'P12M') : undefined,
      progressBefore: query.noRecentProgress === 'true' ? staleBefore(now, staleAfter) : undefined,
      publishedOnly: true,
    },
  };
}

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('dashboard')
export class DashboardPageController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly organisations: OrganisationsService,
    private readonly recommendations: RecommendationsService,
    private readonly work: WorkQueries,
    private readonly pages: PageRenderer,
    private readonly toDo: ToDoService,
  ) {}

  @Page(...OVERSIGHT_ROLES)
  @Version(PAGE_VERSION)
  @Get()
  async show(@PageActor() actor: Actor, @Query() query: QueryParams, @Res() res: Response): Promise<void> {
    const filter = dashboardFilter(query);
    const [figures, orgs, stale] = await Promise.all([
      this.dashboard.figures(actor, filter),
      this.organisations.list(actor, { limit: 500 }),
      this.toDo.noRecentProgress(actor, filter.organisationId),
    ]);
    const now = new Date(figures.asOf);
    const periodMonths = monthsBetween(subtractDuration(now, 'P5Y'), now).reverse();
    const staleHref = `/dashboard/list?noRecentProgress=true${filter.organisationId ? `&organisationId=${filter.organisationId}` : ''}`;
    this.pages.render(res, 'dashboard', {
      ...dashboardModel(figures, filter, orgs.items, periodMonths),
      noRecentProgress: { count: stale, href: staleHref },
    });
  }

  @Page(...OVERSIGHT_ROLES)
  @Get('list')
  async list(@PageActor() actor: Actor, @Query() query: QueryParams, @Res() res: Response): Promise<void> {
    const { filter, state } = listFilter(query, new Date(), this.toDo.staleAfter);
    const page = await this.recommendations.list(actor, filter, { cursor: text(query.cursor), limit: 50 });
    const [forces, titles] = await Promise.all([
      this.work.organisationNames(page.items.map((r) => r.organisationId)),
      this.work.inspectionTitles(page.items.map((r) => r.inspectionId)),
    ]);
    const params = new URLSearchParams(
      Object.entries(query).filter(([k, v]) => k !== 'cursor' && typeof v === 'string') as [string, string][],
    );
    const band = filter.ageBand ? `, overdue ${AGE_BAND_LABELS[filter.ageBand].toLowerCase()}` : '';
    const heading = `${STATES[state]} recommendations${band}${filter.publishedBefore ? ', reported more than 12 months ago' : ''}${filter.progressBefore ? ' with no recent progress' : ''}`;
    this.pages.render(res, 'dashboard-list', {
      pageTitle: pageTitle(heading, 'Dashboard'),
      heading,
      backLink: { href: `/dashboard?${params.toString()}`, text: 'Back to the dashboard' },
      // Each row names its force and inspection; its date is the deadline its days overdue count from.
      rows: page.items.map((rec) =>
        recommendationTableRow({
          ...rec,
          organisationName: forces.get(rec.organisationId) ?? '',
          inspectionTitle: titles.get(rec.inspectionId) ?? '',
        }),
      ),
      csvHref: `/dashboard/list.csv?${params.toString()}`,
      nextPageHref: page.nextCursor
        ? `/dashboard/list?${params.toString()}&cursor=${encodeURIComponent(page.nextCursor)}`
        : null,
    });
  }

  @Page(...OVERSIGHT_ROLES)
  @CsvDownload()
  @Get('list.csv')
  async listCsv(@PageActor() actor: Actor, @Query() query: QueryParams, @Res() res: Response): Promise<void> {
    const { filter, state } = listFilter(query, new Date(), this.toDo.staleAfter);
    await sendCsv(
      res,
      `${state}-recommendations.csv`,
      csvHeader(RECOMMENDATION_CSV_COLUMNS),
      csvRows(RECOMMENDATION_CSV_COLUMNS, this.recommendations.pages(actor, filter)),
    );
  }
}
