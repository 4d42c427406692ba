// The Publish confirmation page's model: the draft, counted and dated in words.
import type { InspectionView } from '#application';
import { pageTitle } from '../page-title.js';
import { londonDate } from './format.js';

export function publishModel(inspection: InspectionView, organisationName: string, now: Date, stale: boolean) {
  const n = inspection.recommendations?.length ?? 0;
  return {
    pageTitle: pageTitle(`${stale ? 'Error: ' : ''}Publish ${inspection.title}`),
    id: inspection.id,
    version: inspection.version,
    title: inspection.title,
    organisationName,
    published: londonDate(inspection.publishedAt),
    /** The register shows an inspection once its report date has come. */
    registerLater: new Date(inspection.publishedAt) > now,
    recommendations: `${n} recommendation${n === 1 ? '' : 's'}`,
    actionPlanDue: londonDate(inspection.actionPlanDueAt),
    revisitDue: londonDate(inspection.revisitDueAt),
    stale,
  };
}
