// Evidence files in the browser: the upload page and its form (multipart, CSRF in the query), downloads and withdrawal,
// with the session's sign-in.
import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EvidenceService, RecommendationsService, WorkQueries } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { Page } from '#auth';
import { DomainError, DomainErrorCode, type Actor } from '#domain';
import { sendEvidenceContent, uploadEvidence } from '../../shared/evidence-transfer.js';
import { AcceptsBody } from '../../shared/request-body/body-types.js';
import { uuidParam } from '../../shared/validation.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { evidenceFilesModel } from '../view-models/evidence-files.js';
import { formErrors, type FormErrors } from '../view-models/form-errors.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { formStatusOf } from '../../shared/error-status.js';

/** A refused upload in words, on the file input. */
function uploadErrors(error: unknown): FormErrors | null {
  if (!(error instanceof DomainError)) return null;
  const words: Partial<Record<string, string>> = {
    [DomainErrorCode.PayloadTooLarge]:
      'The selected files must be smaller: ' + error.message.replace(/ \(EVIDENCE_MAX_[A-Z]+\)/, ''),
    [DomainErrorCode.UnsupportedMediaType]: error.message
      .replace(/^file /, 'The file ')
      .replace(/ must be /, ' must be a ')
      .replace('a a ', 'a '),
    [DomainErrorCode.InvalidInput]: /required/.test(error.message)
      ? 'Select at least one file'
      : 'The upload did not arrive whole: try again',
  };
  const text = words[error.code];
  return text ? formErrors([{ field: 'file', text }]) : null;
}

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: PAGE_VERSION })
export class EvidencePageController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly recommendations: RecommendationsService,
    private readonly work: WorkQueries,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Page()
  @Get('recommendations/:id/evidence/files')
  async form(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    await this.renderUpload(res, actor, id);
  }

  @Page()
  @AcceptsBody('multipart/form-data')
  @Post('recommendations/:id/evidence/files')
  async upload(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const files = await uploadEvidence(this.evidence, this.config, actor, id, req, res);
      this.pages.redirect(res, `/recommendations/${id}#evidence-files`, {
        heading: files.length === 1 ? '1 file uploaded' : `${files.length} files uploaded`,
        lines: files.map((f) => f.name),
      });
    } catch (err) {
      const errors = uploadErrors(err);
      if (!errors) throw err;
      await this.renderUpload(res, actor, id, errors, formStatusOf((err as DomainError).code));
    }
  }

  @Page()
  @Get('evidence/files/:id/content')
  async download(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendEvidenceContent(this.evidence, actor, id, req, res);
  }

  @Page()
  @Post('evidence/files/:id/withdraw')
  async withdraw(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    const file = await this.evidence.withdraw(actor, id);
    this.pages.redirect(res, `/recommendations/${file.recommendationId}#evidence-files`, {
      heading: 'File withdrawn',
      lines: [file.name],
    });
  }

  private async renderUpload(
    res: Response,
    actor: Actor,
    id: string,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const rec = await this.recommendations.get(actor, id);
    const files = await this.evidence.ofRecommendation(actor, id);
    const userNames = await this.work.userNames(files.map((f) => f.uploadedBy));
    const evidenceFiles = evidenceFilesModel({
      actor,
      recommendationId: id,
      status: rec.status,
      files,
      userNames,
      maxBytes: this.config.evidence.maxBytes,
    });
    this.pages.render(
      res,
      'evidence-upload',
      { pageTitle: 'Add evidence files', reference: rec.reference, evidenceFiles, errors },
      status,
    );
  }
}
