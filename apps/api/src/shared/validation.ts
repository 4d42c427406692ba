// The validation pipe every DTO passes through, and the UUID path parameter pipe.
import { ParseUUIDPipe, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { inputProblem } from '#domain';
import { InvalidRequest, problemsOf, type InputProblem } from './input-problems.js';

const MAX_DEPTH = 32;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Keys class-transformer drops without a word (Object.prototype's own), so that forbidNonWhitelisted never sees them.
 */
const SILENTLY_DROPPED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What the whitelist cannot see or the database cannot store as sent, with the field it is in: a key
 * class-transformer drops silently (the contract refuses unknown fields), a NUL character (PostgreSQL
 * refuses it), an unpaired surrogate (half an emoji, stored as U+FFFD: not what the client wrote), or
 * nesting deeper than any payload has.
 */
export function unacceptableInput(value: unknown, path = '', depth = 0): InputProblem | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || UNPAIRED_SURROGATE.test(value)
      ? inputProblem(
          path || 'value',
          'plainText',
          `${path || 'value'} must be text without NUL characters or unpaired surrogates`,
        )
      : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH)
    return inputProblem(
      path || 'value',
      'maxDepth',
      `${path || 'value'} is nested too deeply (at most ${MAX_DEPTH} levels)`,
    );
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (SILENTLY_DROPPED_KEYS.has(key))
      return inputProblem(at, 'whitelistValidation', `property ${at} should not exist`);
    const problem = unacceptableInput(key, `${at} (its name)`) ?? unacceptableInput(child, at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** The validation pipe, after the checks the class-based validation cannot make (see unacceptableInput). */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only what a DTO class validates: pages read their own forms (`@Body() body: unknown`) and answer a
    // person with an error summary, which a refusal here would pre-empt.
    if ((metadata.type === 'body' || metadata.type === 'query') && this.toValidate(metadata)) {
      const problem = unacceptableInput(value);
      if (problem) throw new InvalidRequest([problem]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Unknown fields are refused and every message names its field (nested ones by path, e.g. recommendations.0.reference).
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The refused object travels in each error (never into an answer), so a rule's declared limits can be read.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => new InvalidRequest(problemsOf(errors)),
  });
}

export const uuidParam = (name = 'id'): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () => new InvalidRequest([inputProblem(name, 'isUuid', `${name} must be a UUID`)]),
  });
