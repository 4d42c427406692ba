// Sends a CSV stream as a download: headers first, then the rows as they come.
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Response } from 'express';

export async function sendCsv(res: Response, filename: string, csv: Readable): Promise<void> {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`);
  try {
    await pipeline(csv, res);
  } catch {
    // The client went away or a page failed mid-stream: the status is already sent, so end the response.
    res.destroy();
  }
}
