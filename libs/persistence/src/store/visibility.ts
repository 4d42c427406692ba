// Limits a repository's query builder to the organisations an actor may see.
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { visibleOrganisations, type Actor } from '#domain';

/** Limits a list to the organisations `actor` may see, held in `column`. */
export function onlyVisible<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  actor: Actor,
): SelectQueryBuilder<T> {
  const visible = visibleOrganisations(actor);
  return visible === 'all' ? query : query.andWhere(`${column} = ANY(:visible)`, { visible: [...visible] });
}
