// `/inspections/<id>/publish`: the confirmation page of a draft inspection's Publish button, and the post that
// publishes it.
import { Body, Controller, Get, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { InspectionPublishing, InspectionsService, WorkQueries } from '#application';
import { Page } from '#auth';
import { DomainError, DomainErrorCode, invalidInput, type Actor } from '#domain';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { textField } from '../view-models/form-errors.js';
import { publishModel } from '../view-models/inspection-publish.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { uuidParam } from '../../shared/validation.js';

const ALREADY = { heading: 'This inspection is already published', lines: [] };

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: PAGE_VERSION })
export class InspectionPublishPageController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly publishing: InspectionPublishing,
    private readonly work: WorkQueries,
    private readonly pages: PageRenderer,
  ) {}

  /**
   * 404 where the inspection is not visible, 403 for anyone but its lead inspector or an administrator; a published one
   * goes back to its page.
   */
  @Page()
  @Get('inspections/:id/publish')
  async confirm(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    if (!(await this.mayPublish(actor, id))) return this.pages.redirect(res, `/inspections/${id}`, ALREADY);
    await this.render(actor, id, res, false);
  }

  @Page()
  @Post('inspections/:id/publish')
  async publish(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const version = textField(body, 'version');
    // The form always sends the version it showed: anything else is a tampered form (a 4xx, nothing saved).
    if (!/^\d{1,9}$/.test(version)) throw invalidInput('version must be a whole number');
    try {
      await this.publishing.publish(actor, id, Number(version));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === DomainErrorCode.Conflict) return this.pages.redirect(res, `/inspections/${id}`, ALREADY);
      if (error.code !== DomainErrorCode.StaleVersion) throw error;
      if (!(await this.mayPublish(actor, id))) return this.pages.redirect(res, `/inspections/${id}`, ALREADY);
      return this.render(actor, id, res, true);
    }
    this.pages.redirect(res, `/inspections/${id}`, {
      heading: 'Inspection published',
      lines: ['The force can now see it and its recommendations, and their reminders are planned.'],
    });
  }

  /** True for a draft `actor` may publish; false once published; throws 404/403 as the service does. */
  private async mayPublish(actor: Actor, id: string): Promise<boolean> {
    try {
      await this.publishing.check(actor, id);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.Conflict) return false;
      throw error;
    }
  }

  private async render(actor: Actor, id: string, res: Response, stale: boolean): Promise<void> {
    const inspection = await this.inspections.get(actor, id);
    const organisationName =
      (await this.work.organisationNames([inspection.organisationId])).get(inspection.organisationId) ?? '';
    this.pages.render(
      res,
      'inspection-publish',
      publishModel(inspection, organisationName, new Date(), stale),
      stale ? 409 : 200,
    );
  }
}
