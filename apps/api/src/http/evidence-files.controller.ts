// /recommendations/{id}/evidence/files and /evidence/files/{id}: upload (streamed), read, download (attachment,
// sandboxed) and withdraw evidence files; legal holds.
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { EvidenceRetention, EvidenceService } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { AcceptsBody } from '../shared/request-body/body-types.js';
import {
  EvidenceFileResponse,
  EvidenceUploadForm,
  LegalHoldRequest,
  LegalHoldResponse,
} from '../shared/dto/evidence-files.dto.js';
import { attachmentHeader, sendEvidenceContent, uploadEvidence } from '../shared/evidence-transfer.js';
import { ApiEndpoint, ApiRoles, textBody } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

/** Streams a zip as an attachment; a client that goes away stops the reading of the store. */
export async function sendZip(zip: { filename: string; body: Readable }, req: Request, res: Response): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', attachmentHeader(zip.filename));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  req.on('close', () => zip.body.destroy());
  await pipeline(zip.body, res).catch(() => res.destroy());
}

/** A JSON array of files, for the document. */
const FILE_LIST = {
  'application/json': { schema: { type: 'array' as const, items: { $ref: getSchemaPath(EvidenceFileResponse) } } },
};

@ApiTags('evidence')
@ApiExtraModels(EvidenceFileResponse)
@Controller()
export class EvidenceFilesController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly retention: EvidenceRetention,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("Upload evidence files (the force's liaison officers): streamed, type-checked, scanned afterwards", {
    status: 202,
    body: FILE_LIST,
    description: 'Stored; each file is scanned shortly (scan: pending, or unscanned where no scanner is used)',
    errors: [400, 404, 409, 413, 415, 503],
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: EvidenceUploadForm })
  // Read by this route itself, streamed (readStreamedUpload), after the guards.
  @AcceptsBody('multipart/form-data')
  @Post('recommendations/:id/evidence/files')
  @HttpCode(202)
  uploadFiles(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return uploadEvidence(this.evidence, this.config, actor, id, req, res);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("A recommendation's evidence files, withdrawn ones too, oldest first", {
    status: 200,
    body: FILE_LIST,
    errors: [400, 404],
  })
  @Get('recommendations/:id/evidence/files')
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.evidence.ofRecommendation(actor, id);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('One evidence file: name, size, type, SHA-256, scan result', {
    status: 200,
    body: EvidenceFileResponse,
    errors: [400, 404],
  })
  @Get('evidence/files/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.evidence.get(actor, id);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint(
    'The bytes, as an attachment: only a clean file (or unscanned where scanning is off on purpose) the caller can see',
    {
      status: 200,
      body: textBody('*/*', 'the file, as its sniffed media type; a 302 to a short-lived URL when EVIDENCE_PRESIGN=on'),
      errors: [400, 404],
    },
  )
  @Get('evidence/files/:id/content')
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendEvidenceContent(this.evidence, actor, id, req, res);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint(
    'Withdraw a file (its uploader, before the recommendation is closed): kept, marked withdrawn, in the history',
    {
      status: 200,
      body: EvidenceFileResponse,
      errors: [400, 404, 409],
    },
  )
  @Post('evidence/files/:id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.evidence.withdraw(actor, id);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("An inspection's clean evidence files as one zip (streamed), with index.csv listing them", {
    status: 200,
    body: textBody('application/zip', 'index.csv, then each file under <reference>/<n>-<name>'),
    errors: [400, 404],
  })
  @Get('inspections/:id/evidence.zip')
  async zip(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendZip(await this.evidence.zipOfInspection(actor, id), req, res);
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Place a legal hold on an inspection: retention deletes none of its files while it stands', {
    status: 200,
    body: LegalHoldResponse,
    errors: [400, 404],
  })
  @Put('inspections/:id/legal-hold')
  placeHold(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: LegalHoldRequest) {
    return this.retention.placeHold(actor, id, body.reason);
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Release the legal hold on an inspection', { status: 204, errors: [400, 404] })
  @Delete('inspections/:id/legal-hold')
  @HttpCode(204)
  async releaseHold(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<void> {
    await this.retention.releaseHold(actor, id);
  }
}
