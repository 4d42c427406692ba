import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { parseIsoInstant } from '#domain';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** Query strings carry text: "true"/"false" become booleans, anything else stays and fails validation. */
export const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

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
