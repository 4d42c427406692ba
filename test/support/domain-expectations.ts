// What the domain's specs expect of a refusal: an InvalidInput DomainError whose message names what was wrong.
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
