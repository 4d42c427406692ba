// `/search?q=<words>`: the header's search box; recommendations and inspections the person may see, paged.
import { Controller, Get, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganisationsService, SearchService } from '#application';
import { Page } from '#auth';
import type { Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { usableCursor } from '../view-models/paging.js';
import { searchModel } from '../view-models/search.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class SearchPageController {
  constructor(
    private readonly search: SearchService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Page()
  @Get('search')
  async show(@PageActor() actor: Actor, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const force = UUID.test(text(query.force)) ? text(query.force).toLowerCase() : '';
    const cursor = usableCursor(text(query.after), 3);
    const [results, forces] = await Promise.all([
      this.search.search(actor, text(query.q), { cursor, organisationId: force || undefined }),
      this.organisations.list(actor, { limit: 500 }),
    ]);
    this.pages.render(res, 'search', searchModel(results, forces.items, force, cursor));
  }
}
