// `text/csv` bodies, read only on the routes that declare them and only after the guards have identified the caller.
import {
  HttpException,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { acceptsWith, refuseUnread } from './body-types.js';

/** Reads the body into `req.body` as a Buffer, within `maxBytes`; a too-large or cut-off body is a 413 or 400. */
@Injectable()
export class CsvBodyInterceptor implements NestInterceptor {
  private readonly parser: RequestHandler;

  constructor(maxBytes: number) {
    this.parser = express.raw({ type: 'text/csv', limit: maxBytes });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return from(this.read(req, res)).pipe(switchMap(() => next.handle()));
  }

  private read(req: Request, res: Response): Promise<void> {
    return new Promise((resolve, reject) => {
      void this.parser(req, res, (error?: unknown) => {
        if (!error) return resolve();
        refuseUnread(res);
        const { status, message } = error as { status?: number; message?: string };
        const code = status === 413 ? 413 : 400;
        reject(
          new HttpException(
            {
              statusCode: code,
              message: [
                code === 413 ? 'the CSV file is too large' : `the CSV body could not be read: ${message ?? 'cut off'}`,
              ],
            },
            code,
          ),
        );
      });
    });
  }
}

/** The route takes `text/csv` only (anything else: 415 before it is read), read after the guards. */
export const CsvBody = (maxBytes: number) => acceptsWith('text/csv', UseInterceptors(new CsvBodyInterceptor(maxBytes)));
