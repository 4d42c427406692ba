// The search box: recommendations and inspections the person may see, found by reference, words of their text, owner,
// force or inspection.
import { Injectable } from '@nestjs/common';
import { canSeeDrafts, canSeeOrganisation, visibleOrganisations, type Actor } from '#domain';
import { Storage, type SearchInspectionRow, type SearchRecommendationRow } from '#persistence';
import { decodeCursor, encodeCursor } from './paging.js';

export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_INSPECTIONS = 10;
/** Longer searches are cut here: a search is a few words, not a document. */
export const SEARCH_MAX_LENGTH = 200;

export interface SearchResults {
  words: string;
  recommendations: SearchRecommendationRow[];
  nextCursor: string | null;
  inspections: SearchInspectionRow[];
  moreInspections: boolean;
}

@Injectable()
export class SearchService {
  constructor(private readonly storage: Storage) {}

  /**
   * Same visibility as the lists: only the organisations `actor` may see (another force's data never
   * appears); a force filter outside them finds nothing. Empty words find nothing.
   */
  async search(
    actor: Actor,
    rawWords: string,
    options: { cursor?: string; organisationId?: string } = {},
  ): Promise<SearchResults> {
    const words = rawWords.replace(/\s+/g, ' ').trim().slice(0, SEARCH_MAX_LENGTH);
    const empty: SearchResults = {
      words,
      recommendations: [],
      nextCursor: null,
      inspections: [],
      moreInspections: false,
    };
    if (words === '') return empty;
    const organisationId = options.organisationId ?? null;
    if (organisationId && !canSeeOrganisation(actor, organisationId)) return empty;
    const visible = visibleOrganisations(actor);
    const scope = { words, visible: visible === 'all' ? null : visible, organisationId, drafts: canSeeDrafts(actor) };
    const after = decodeCursor(options.cursor, ['timestamp', 'text', 'uuid']);
    const [rows, inspections] = await Promise.all([
      this.storage.pool.search.recommendations({ ...scope, after, limit: SEARCH_PAGE_SIZE + 1 }),
      after ? Promise.resolve([]) : this.storage.pool.search.inspections({ ...scope, limit: SEARCH_INSPECTIONS + 1 }),
    ]);
    const page = rows.slice(0, SEARCH_PAGE_SIZE);
    const last = page.at(-1);
    return {
      words,
      recommendations: page,
      nextCursor:
        rows.length > SEARCH_PAGE_SIZE && last
          ? encodeCursor([last.createdAt.toISOString(), last.reference, last.id])
          : null,
      inspections: inspections.slice(0, SEARCH_INSPECTIONS),
      moreInspections: inspections.length > SEARCH_INSPECTIONS,
    };
  }
}
