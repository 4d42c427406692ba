// Content negotiation between the web pages and contract v1 JSON on the paths they share.
import type { Request } from 'express';

/** Nest's custom-versioning "version" of a request: pages are registered for PAGE_VERSION only. */
export const PAGE_VERSION = 'page';
export const API_VERSION = 'api';

/**
 * A browser asking for a page: it prefers HTML to JSON and sends no `Authorization` header. An API
 * client (a token, `Accept: application/json`, or no Accept at all) gets the JSON exactly as before.
 */
export function wantsPage(request: Pick<Request, 'headers' | 'accepts'>): boolean {
  if (request.headers.authorization !== undefined) return false;
  return request.accepts(['application/json', 'text/html']) === 'text/html';
}

export const versionOf = (request: Request): string => (wantsPage(request) ? PAGE_VERSION : API_VERSION);
