// Which body each route takes: small JSON and form bodies everywhere, CSV and multipart only where a route declares
// them, any other type 415 before a byte is read.
import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';

/**
 * The JSON and form bodies parsed for every route, before routing (they are needed for the CSRF check of page forms).
 */
export const SMALL_BODY_LIMIT = '100kb';
export const DEFAULT_BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;

/**
 * The metadata key of a route's declared body types (the authorization tests read it to send each route its own type).
 */
export const BODY_TYPES = 'followup:body-types';

/**
 * Declares the only media types a route takes, replacing the default (JSON and urlencoded forms).
 * Used by `@CsvBody` and `@MultipartBody`, which also attach the parser that reads the body after the guards.
 */
export const AcceptsBody = (...types: string[]) => SetMetadata(BODY_TYPES, types);

/**
 * The parsers every route has: JSON and urlencoded forms up to SMALL_BODY_LIMIT. CSV and multipart are read by their
 * route's interceptor.
 */
export function useSmallBodyParsers(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: SMALL_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: SMALL_BODY_LIMIT, extended: true, parameterLimit: 200 });
}

/** Whether the request carries a body at all (a declared non-zero length, or chunked). */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/** The media type without parameters, lower case ('' when none). */
export function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Answers now, and closes the connection, so that a body nobody will read is not read either (Node would
 * otherwise drain it to keep the connection alive).
 */
export function refuseUnread(res: Response): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

/**
 * The first global guard (ApiModule registers it before AccessGuard): a request whose body is of a type its
 * route does not take gets 415 at once, before authentication and before a byte of the body is read.
 */
@Injectable()
export class BodyTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req)) return true;
    const accepted =
      this.reflector.getAllAndOverride<readonly string[] | undefined>(BODY_TYPES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? DEFAULT_BODY_TYPES;
    const type = mediaTypeOf(req);
    if (accepted.includes(type)) return true;
    refuseUnread(context.switchToHttp().getResponse<Response>());
    throw new UnsupportedMediaTypeException(
      `this route takes ${accepted.join(' or ')}, not ${type || 'a body without a Content-Type'}`,
    );
  }
}

/** For decorators that both declare the type and attach its parser. */
export const acceptsWith = (type: string, ...others: Parameters<typeof applyDecorators>) =>
  applyDecorators(AcceptsBody(type), ...others);
