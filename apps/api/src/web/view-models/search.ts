// The search results page: what was searched, the recommendations and inspections found, the force filter and the
// paging.
import type { SearchResults } from '#application';
import { pageTitle } from '../page-title.js';
import { londonDate, statusTag, type Tag } from './format.js';
import { truncate } from './recommendation-table-row.js';

export interface SearchForce {
  id: string;
  name: string;
}

export interface SearchResultRow {
  href: string;
  reference: string;
  summary: string;
  status: Tag;
  owner: string;
  force: string;
  inspection: string;
}

/** `?q=…&force=…` with the non-empty values. */
const query = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]));
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
};

export function searchModel(
  results: SearchResults,
  forces: readonly SearchForce[],
  force: string,
  cursor: string | undefined,
) {
  const { words } = results;
  const found = results.recommendations.length;
  return {
    pageTitle: pageTitle(words ? `Search results for ‘${words}’` : 'Search'),
    words,
    // A person who sees one force is not offered a filter that cannot change anything.
    forceItems:
      forces.length > 1
        ? [
            { value: '', text: 'All forces' },
            ...forces.map((f) => ({ value: f.id, text: f.name, ...(f.id === force ? { selected: true } : {}) })),
          ]
        : null,
    summary:
      words === ''
        ? 'Enter a reference, words of a recommendation, an owner, a force or an inspection.'
        : found === 0 && !cursor
          ? `No recommendations found for ‘${words}’`
          : null,
    rows: results.recommendations.map((r): SearchResultRow => ({
      href: `/recommendations/${r.id}`,
      reference: r.reference,
      summary: truncate(r.text, 160),
      status: statusTag(r.status),
      owner: r.owner ?? '',
      force: r.organisationName,
      inspection: r.inspectionTitle,
    })),
    inspections: results.inspections.map((i) => ({
      href: `/inspections/${i.id}`,
      title: i.title,
      detail: `${i.organisationName}, ${i.programme}, published ${londonDate(i.publishedAt)}`,
    })),
    moreInspections: results.moreInspections,
    pagination:
      cursor || results.nextCursor
        ? {
            ...(cursor ? { previous: { href: `/search${query({ q: words, force })}`, text: 'First page' } } : {}),
            ...(results.nextCursor
              ? { next: { href: `/search${query({ q: words, force, after: results.nextCursor })}`, text: 'Next page' } }
              : {}),
          }
        : null,
  };
}
