import { BadRequestException, ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Unknown fields are refused and every message names its field (nested ones by path, e.g. recommendations.0.reference). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (parent ? `${parent}.${message}` : message));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

export const uuidParam = (name = 'id'): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException([`${name} must be a UUID`]) });
