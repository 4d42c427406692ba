// What every resource shares: paging (query and answer), the error answer, and the query-string transforms.
import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformTo } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { Page } from '#application';
import { DomainErrorCode, parseIsoInstant } from '#domain';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @TransformTo(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** A list answer of `item`s under the schema name `name`: `{ items, nextCursor }`, as every list of the contract. */
export function PageOf<T>(item: Type<T>, name: string): Type<Page<T>> {
  class PageResponse implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' })
    nextCursor: string | null;
  }
  Object.defineProperty(PageResponse, 'name', { value: name });
  return PageResponse;
}

/**
 * What every stored resource answers with besides its own fields: its id, the version a change must name, its times.
 */
export class ResourceResponse {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', description: 'a change names it; another one is a 409 and changes nothing' })
  version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

/**
 * The contract's error answer, from DomainExceptionFilter (with `code`) or from Nest itself (a missing token, an
 * unknown route).
 */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 404 }) statusCode: number;
  @ApiProperty({ type: String, example: 'Not Found' }) error: string;
  @ApiPropertyOptional({
    enum: Object.values(DomainErrorCode),
    description: 'the stable domain error code, when a domain rule refused',
  })
  code?: DomainErrorCode;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'what went wrong; for invalid input, one message per bad field, each naming it',
  })
  message: string | string[];
}

/** The values of one of the domain's `as const` enumerations, for `enum:` and `@IsIn`. */
export const enumValues = (o: object) => Object.values(o) as string[];

/** Query strings carry text: "true"/"false" become booleans, anything else stays and fails validation. */
export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/**
 * ISO 8601 text to a Date; without an offset, London time (see parseIsoInstant). Anything else, including
 * dates that do not exist (30 February) and the loose formats `new Date()` would guess at, becomes an
 * invalid Date, which @IsDate then refuses by name.
 */
export const toIsoDate = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const value = obj[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') return new Date(Number.NaN);
  return parseIsoInstant(value) ?? new Date(Number.NaN);
};
