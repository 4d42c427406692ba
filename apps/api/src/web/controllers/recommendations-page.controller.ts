// `/recommendations/<id>`: the page every email links to, the workflow forms posted back to it, and the decision's
// check-your-answers page.
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EvidenceService, LedgerService, RecommendationsService, WorkQueries } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { Page } from '#auth';
import { canSeeNotifications, type Actor } from '#domain';
import type { PendingDecision } from '../forms/decision.form.js';
import { readFormWithFiles } from '../forms/evidence-files.form.js';
import { confirmDecision, takeAction, type ActionOutcome } from '../forms/recommendation-action.form.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { decisionConfirmationModel } from '../view-models/decision-confirmation.js';
import { evidenceFilesModel } from '../view-models/evidence-files.js';
import type { FormErrors } from '../view-models/form-errors.js';
import { recommendationPageModel, type PostedForm } from '../view-models/recommendation-page.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { AcceptsBody } from '../../shared/request-body/body-types.js';
import { uuidParam } from '../../shared/validation.js';

const LEDGER_ROWS = 100;

// Every route here lives under an API resource path: only browsers reach them, so API clients keep
// exactly the answers they had (JSON, or Nest's JSON 404 for a path the API does not have).
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ path: 'recommendations', version: PAGE_VERSION })
export class RecommendationsPageController {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly ledger: LedgerService,
    private readonly work: WorkQueries,
    private readonly pages: PageRenderer,
    private readonly evidence: EvidenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The page; `?change=decision` opens the form of the decision waiting for confirmation, filled in as it was. */
  @Page()
  @Get(':id')
  async show(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query('change') change: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const pending = change === 'decision' ? pendingFor(req, id) : undefined;
    const posted = pending
      ? { action: pending.form, values: pending.values, errors: { summary: [], fields: {} } }
      : undefined;
    await this.render(res, actor, id, 200, undefined, posted);
  }

  @Page()
  // The propose-closure form is multipart (its `Evidence files`), read by readFormWithFiles after the guards.
  @AcceptsBody('application/x-www-form-urlencoded', 'multipart/form-data')
  @Post(':id')
  async act(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let fileIds: string[] = [];
    if (req.is('multipart/form-data')) {
      const read = await readFormWithFiles(this.evidence, this.config, actor, id, req, res);
      if (read.refused)
        return this.render(res, actor, id, read.refused.status, read.refused.errors, read.refused.posted);
      ({ body, fileIds } = read);
    }
    const outcome = await takeAction(this.recommendations, actor, id, body, fileIds);
    if (outcome.kind === 'confirm') {
      req.session.pendingDecision = outcome.pending;
      return this.pages.redirect(res, `/recommendations/${id}/confirm`);
    }
    await this.answer(res, actor, id, outcome);
  }

  /** Check your answers: the decision as it will be saved, a `Change` link back to its form, and `Confirm decision`. */
  @Page()
  @Get(':id/confirm')
  async confirmation(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const rec = await this.recommendations.get(actor, id);
    const pending = pendingFor(req, id);
    if (!pending) return this.pages.redirect(res, `/recommendations/${id}`);
    const inspection = await this.work.inspectionOf(rec.inspectionId);
    const userNames = await this.work.userNames(rec.evidence.map((e) => e.submittedBy));
    this.pages.render(
      res,
      'recommendation-confirm',
      decisionConfirmationModel({ rec, inspection, pending, userNames }),
    );
  }

  @Page()
  @Post(':id/confirm')
  async confirm(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.recommendations.get(actor, id); // another force's recommendation: 404, whatever the session holds
    const pending = pendingFor(req, id);
    // Confirmed twice (a second click, the back button): the first saved it; show where it stands.
    if (!pending) return this.pages.redirect(res, `/recommendations/${id}`);
    const outcome = await confirmDecision(this.recommendations, actor, pending);
    delete req.session.pendingDecision;
    await this.answer(res, actor, id, outcome);
  }

  private async answer(res: Response, actor: Actor, id: string, outcome: ActionOutcome): Promise<void> {
    // A confirmed decision is saved or refused, never sent to be confirmed again.
    if (outcome.kind === 'confirm') return this.pages.redirect(res, `/recommendations/${id}/confirm`);
    if (outcome.kind === 'saved') return this.pages.redirect(res, `/recommendations/${id}`, outcome.flash);
    await this.render(res, actor, id, outcome.status, outcome.errors, outcome.posted);
  }

  /** The page as it is now; after a refused form, with its errors and what was entered. */
  private async render(
    res: Response,
    actor: Actor,
    id: string,
    status = 200,
    errors?: FormErrors,
    posted?: PostedForm,
  ): Promise<void> {
    const rec = await this.recommendations.get(actor, id);
    const inspection = await this.work.inspectionOf(rec.inspectionId);
    const files = await this.evidence.ofRecommendation(actor, id);
    const [organisations, userNames, ledger] = await Promise.all([
      this.work.organisationNames([rec.organisationId]),
      this.work.userNames([
        ...rec.history.map((h) => h.actorId),
        ...rec.evidence.map((e) => e.submittedBy),
        ...files.map((f) => f.uploadedBy),
      ]),
      canSeeNotifications(actor, inspection)
        ? this.ledger.list(actor, { recommendationId: id }, { limit: LEDGER_ROWS })
        : null,
    ]);
    const model = recommendationPageModel({
      actor,
      rec,
      inspection,
      organisationName: organisations.get(rec.organisationId) ?? '',
      userNames,
      ledger: ledger?.items ?? null,
      posted,
      errors,
    });
    const evidenceFiles = evidenceFilesModel({
      actor,
      recommendationId: id,
      status: rec.status,
      files,
      userNames,
      maxBytes: this.config.evidence.maxBytes,
    });
    this.pages.render(res, 'recommendation', { ...model, evidenceFiles }, status);
  }
}

function pendingFor(req: Request, id: string): PendingDecision | undefined {
  const pending = req.session?.pendingDecision;
  return pending?.recommendationId === id ? pending : undefined;
}
