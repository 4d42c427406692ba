// The one mapping of domain error codes to HTTP statuses, as the API, the pages and their forms answer.
import { describe, expect, it } from '@jest/globals';
import { DomainErrorCode as C } from '#domain';
import { formStatusOf, pageStatusOf, statusOf } from './error-status.js';

describe('error statuses', () => {
  it.each([
    [C.NotFound, 404, 404, 404],
    [C.Forbidden, 403, 403, 403],
    [C.Unauthenticated, 401, 403, 401],
    [C.StaleVersion, 409, 409, 409],
    [C.TransitionNotAllowed, 409, 409, 409],
    [C.InvalidInput, 400, 404, 400],
    [C.Conflict, 409, 409, 409],
    [C.RateLimited, 429, 429, 429],
    [C.Unavailable, 503, 503, 503],
    [C.PayloadTooLarge, 413, 413, 413],
    [C.UnsupportedMediaType, 415, 415, 400],
  ])('%s: API %i, page %i, form %i', (code, api, page, form) => {
    expect([statusOf(code), pageStatusOf(code), formStatusOf(code)]).toEqual([api, page, form]);
  });
});
