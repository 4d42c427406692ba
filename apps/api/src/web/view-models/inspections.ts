// The inspections list, one inspection's page, its date form and their CSV rows.
import { csvDate, type InspectionCounts, type InspectionView, type RecommendationView } from '#application';
import { londonDate, outcomeText, overdueReasonText } from './format.js';
import { datePartsOf, type DateParts } from './date-input.js';
import { NO_ERRORS, type FormErrors } from './form-errors.js';
import { recommendationTableRow, type RecommendationTableRow } from './recommendation-table-row.js';
import { pageTitle } from '../page-title.js';

export interface Names {
  organisations: Map<string, string>;
  users: Map<string, string>;
}

export interface InspectionListRow {
  href: string;
  title: string;
  organisationName: string;
  programme: string;
  published: string;
  actionPlanDue: string;
  revisitDue: string;
  leadInspector: string;
  open: number;
  overdue: number;
  /** Waiting to be published (only inspectorate staff see such a row). */
  draft: boolean;
}

export interface InspectionListModel {
  pageTitle: string;
  rows: InspectionListRow[];
  organisations: { value: string; text: string; selected: boolean }[];
  organisationId: string;
  nextPageHref: string | null;
  csvHref: string;
}

function listRow(inspection: InspectionView, names: Names, counts: InspectionCounts | undefined): InspectionListRow {
  return {
    href: `/inspections/${inspection.id}`,
    title: inspection.title,
    organisationName: names.organisations.get(inspection.organisationId) ?? '',
    programme: inspection.programme,
    published: londonDate(inspection.publishedAt),
    actionPlanDue: londonDate(inspection.actionPlanDueAt),
    revisitDue: londonDate(inspection.revisitDueAt),
    leadInspector: names.users.get(inspection.leadInspectorId) ?? '',
    open: counts?.open ?? 0,
    overdue: counts?.overdue ?? 0,
    draft: inspection.draft,
  };
}

const query = (params: Record<string, string | null | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]));
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};

export function inspectionListModel(
  page: { items: InspectionView[]; nextCursor: string | null },
  names: Names,
  counts: Map<string, InspectionCounts>,
  organisations: { id: string; name: string }[],
  organisationId: string,
): InspectionListModel {
  return {
    pageTitle: pageTitle('Inspections'),
    rows: page.items.map((i) => listRow(i, names, counts.get(i.id))),
    organisations: [
      { value: '', text: 'All forces', selected: organisationId === '' },
      ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === organisationId })),
    ],
    organisationId,
    nextPageHref: page.nextCursor ? `/inspections${query({ organisationId, cursor: page.nextCursor })}` : null,
    csvHref: `/inspections.csv${query({ organisationId })}`,
  };
}

export const INSPECTION_CSV_HEADER = [
  'Title',
  'Force',
  'Programme',
  'Published',
  'Action plan due',
  'Revisit due',
  'Lead inspector',
  'Open recommendations',
  'Overdue recommendations',
  'Draft',
];

/** A list row for the CSV: the same cells, with dates as London `yyyy-mm-dd` for spreadsheets. */
export function inspectionCsvRow(inspection: InspectionView, row: InspectionListRow): unknown[] {
  return [
    row.title,
    row.organisationName,
    row.programme,
    csvDate(inspection.publishedAt),
    csvDate(inspection.actionPlanDueAt),
    csvDate(inspection.revisitDueAt),
    row.leadInspector,
    row.open,
    row.overdue,
    row.draft ? 'yes' : 'no',
  ];
}

export interface InspectionModel {
  pageTitle: string;
  id: string;
  title: string;
  organisationName: string;
  programme: string;
  leadInspector: string;
  published: string;
  actionPlanDue: string;
  revisitDue: string;
  commissionerCommentsDue: string;
  rows: RecommendationTableRow[];
  canEditDates: boolean;
  csvHref: string;
  /** Waiting to be published: seen only by inspectorate staff, nothing sent. */
  draft: boolean;
  /** The Publish button's confirmation page, for the lead inspector or an administrator of a draft. */
  publishHref: string | null;
}

export function inspectionModel(inspection: InspectionView, names: Names, canEditDates: boolean): InspectionModel {
  // Only the lead inspector or an administrator (who may change the dates) may publish a draft.
  const publishHref = inspection.draft && canEditDates ? `/inspections/${inspection.id}/publish` : null;
  const organisationName = names.organisations.get(inspection.organisationId) ?? '';
  return {
    pageTitle: pageTitle(inspection.title),
    id: inspection.id,
    title: inspection.title,
    organisationName,
    programme: inspection.programme,
    leadInspector: names.users.get(inspection.leadInspectorId) ?? '',
    published: londonDate(inspection.publishedAt),
    actionPlanDue: londonDate(inspection.actionPlanDueAt),
    revisitDue: londonDate(inspection.revisitDueAt),
    commissionerCommentsDue: londonDate(inspection.commissionerCommentsDueAt),
    rows: (inspection.recommendations ?? []).map(recommendationTableRow),
    canEditDates,
    csvHref: `/inspections/${inspection.id}/recommendations.csv`,
    draft: inspection.draft,
    publishHref,
  };
}

export const RECOMMENDATION_CSV_HEADER = [
  'Reference',
  'Recommendation',
  'Status',
  'RAG',
  'Owner',
  'Due date',
  'Action plan due',
  'Target date',
  'Overdue',
  'Days overdue',
  'Outcome',
];

export function recommendationCsvRow(rec: RecommendationView): unknown[] {
  const row = recommendationTableRow(rec);
  return [
    rec.reference,
    rec.text,
    row.status.text,
    rec.rag ? row.rag.text : '',
    rec.owner ?? '',
    csvDate(rec.dueAt),
    csvDate(rec.actionPlanDueAt),
    csvDate(rec.targetDate),
    overdueReasonText(rec.overdueReason),
    rec.daysOverdue ?? '',
    outcomeText(rec.outcome),
  ];
}

export const DATE_FIELDS = [
  {
    name: 'publishedAt',
    label: 'Published date',
    hint: 'The deadlines that follow from it are worked out again unless set below.',
  },
  { name: 'actionPlanDueAt', label: 'Action plan deadline', hint: 'When the force must send its action plan.' },
  {
    name: 'revisitDueAt',
    label: 'Revisit date',
    hint: 'When the inspectorate revisits; recommendations without their own due date are due then.',
  },
] as const;
export type DateFieldName = (typeof DATE_FIELDS)[number]['name'];

export interface InspectionDatesModel {
  pageTitle: string;
  id: string;
  title: string;
  version: number;
  fields: { name: DateFieldName; label: string; hint: string; parts: DateParts }[];
  errors: FormErrors;
  stale: boolean;
  backLink: { href: string; text: string };
}

export function inspectionDatesModel(
  inspection: InspectionView,
  values: Partial<Record<DateFieldName, DateParts>> = {},
  errors: FormErrors = NO_ERRORS,
  stale = false,
): InspectionDatesModel {
  return {
    pageTitle: pageTitle('Change dates', inspection.title),
    id: inspection.id,
    title: inspection.title,
    version: inspection.version,
    fields: DATE_FIELDS.map((f) => ({ ...f, parts: values[f.name] ?? datePartsOf(inspection[f.name]) })),
    errors,
    stale,
    backLink: { href: `/inspections/${inspection.id}`, text: 'Back to the inspection' },
  };
}

/** What a change of dates recomputed, as lines for the confirmation banner. */
export function recomputedLines(before: InspectionView, after: InspectionView): string[] {
  const lines: string[] = [];
  for (const f of DATE_FIELDS) {
    if (before[f.name] !== after[f.name])
      lines.push(`${f.label}: ${londonDate(before[f.name])} → ${londonDate(after[f.name])}`);
  }
  const previous = new Map((before.recommendations ?? []).map((r) => [r.id, r]));
  for (const rec of after.recommendations ?? []) {
    const old = previous.get(rec.id);
    if (old && old.dueAt !== rec.dueAt)
      lines.push(`Recommendation ${rec.reference} due date: ${londonDate(old.dueAt)} → ${londonDate(rec.dueAt)}`);
  }
  return lines;
}
