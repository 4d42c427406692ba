// What the specs expect of a refusal: a DomainError whose message, or whose details, name what was wrong.
import { expect } from '@jest/globals';
import { DomainError, DomainErrorCode } from '#domain';

export function expectInvalidInput(fn: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe(DomainErrorCode.InvalidInput);
  for (const fragment of fragments) expect((caught as DomainError).message).toContain(fragment);
}

/** The details of the DomainError `fn` throws (each names a row or field); fails when it throws none. */
export function refusalDetails(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.details;
    throw error;
  }
  throw new Error('expected a refusal');
}
