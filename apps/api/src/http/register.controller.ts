// /register: the public register as open data: no sign-in, cacheable, JSON or CSV per force.
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { REGISTER_CSV_COLUMNS, RegisterService, csvHeader, csvRows, registerCsvRows } from '#application';
import { notFound } from '#domain';
import { sendCsv } from '../web/csv.js';
import { ForceRegisterResponse, RegisterForcesResponse } from './dto/register.dto.js';
import { ApiEndpoint, ApiPublic, textBody } from './openapi.js';

const FORMATS = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(private readonly register: RegisterService) {}

  @ApiPublic()
  @ApiEndpoint('The forces on the public register, with their counts', { status: 200, body: RegisterForcesResponse })
  @Get()
  async forces() {
    return { items: await this.register.forces() };
  }

  @ApiPublic()
  @ApiEndpoint("One force's register: `<code>.json` or `<code>.csv`, with ETag and Last-Modified", {
    status: 200,
    body: [ForceRegisterResponse, textBody('text/csv', 'one row per recommendation')],
    also: [{ status: 304, description: "Not modified: the client's copy (If-None-Match, If-Modified-Since) is current" }],
    errors: [404],
  })
  @Get(':file')
  force(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return serveRegisterFile(this.register, file, req, res);
  }
}

/** Whether `file` names a register download (`<code>.json` or `<code>.csv`). */
export const REGISTER_FILE = /^([A-Za-z0-9_-]+)\.(json|csv)$/;

/** Serves a register download, with its cache headers; also used by the page route, which browsers reach first. */
export async function serveRegisterFile(registers: RegisterService, file: string, req: Request, res: Response): Promise<void> {
  const match = REGISTER_FILE.exec(file);
  if (!match) throw notFound('register');
  const [, code, format] = match as unknown as [string, string, keyof typeof FORMATS];
  const version = await registers.version(code);
  const etag = `${version.etag.slice(0, -1)}-${format}"`;
  res.setHeader('etag', etag);
  res.setHeader('last-modified', version.lastModified.toUTCString());
  res.setHeader('cache-control', 'public, max-age=0, must-revalidate');
  if (isFresh(req, etag, version.lastModified)) {
    res.status(304).end();
    return;
  }
  const register = await registers.register(code);
  if (format === 'json') {
    res.status(200).setHeader('content-type', FORMATS.json);
    res.send(JSON.stringify(register));
    return;
  }
  await sendCsv(res, `register-${register.organisation.code}.csv`, csvHeader(REGISTER_CSV_COLUMNS), csvRows(REGISTER_CSV_COLUMNS, [registerCsvRows(register)]));
}

function isFresh(req: Request, etag: string, lastModified: Date): boolean {
  const noneMatch = req.headers['if-none-match'];
  if (noneMatch) return noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  const since = req.headers['if-modified-since'];
  return since !== undefined && !Number.isNaN(Date.parse(since)) && lastModified.getTime() <= Date.parse(since);
}
