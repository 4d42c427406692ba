// A register download (`<code>.json` or `<code>.csv`) with its cache headers: answered by the API route and by the page
// route browsers reach first.
import type { Request, Response } from 'express';
import { REGISTER_CSV_COLUMNS, type RegisterService, csvHeader, csvRows, registerCsvRows } from '#application';
import { notFound } from '#domain';
import { sendCsv } from './csv.js';

const FORMATS = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** Whether `file` names a register download (`<code>.json` or `<code>.csv`). */
export const REGISTER_FILE = /^([A-Za-z0-9_-]+)\.(json|csv)$/;

/** Serves a register download, with its cache headers; also used by the page route, which browsers reach first. */
export async function serveRegisterFile(
  registers: RegisterService,
  file: string,
  req: Request,
  res: Response,
): Promise<void> {
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
  await sendCsv(
    res,
    `register-${register.organisation.code}.csv`,
    csvHeader(REGISTER_CSV_COLUMNS),
    csvRows(REGISTER_CSV_COLUMNS, [registerCsvRows(register)]),
  );
}

function isFresh(req: Request, etag: string, lastModified: Date): boolean {
  const noneMatch = req.headers['if-none-match'];
  if (noneMatch)
    return noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  const since = req.headers['if-modified-since'];
  return since !== undefined && !Number.isNaN(Date.parse(since)) && lastModified.getTime() <= Date.parse(since);
}
