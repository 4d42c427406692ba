// The `/import` form: reading its fields and file, checking the CSV, and creating the inspection, with every problem
// named.
import type { InspectionsService, InspectionView } from '#application';
import { readRecommendationsCsv } from '#application';
import { DomainError, DomainErrorCode, INSPECTION_LIMITS, type Actor, type ImportedRecommendation } from '#domain';
import {
  EMPTY_DATE,
  londonStartOfDay,
  parseDateParts,
  readDateParts,
  type DateParts,
} from '../view-models/date-input.js';
import { formErrors, textField, type FieldMessage, type FormErrors } from '../view-models/form-errors.js';

export interface ImportValues {
  organisationId: string;
  title: string;
  programme: string;
  published: DateParts;
  leadInspectorId: string;
}

export const EMPTY_IMPORT: ImportValues = {
  organisationId: '',
  title: '',
  programme: '',
  published: EMPTY_DATE,
  leadInspectorId: '',
};

export interface PostedImport {
  action: 'check' | 'import';
  values: ImportValues;
  /**
   * The file uploaded now, or the one checked before (carried in a hidden field so the page works without JavaScript).
   */
  csv: Buffer | null;
  fileName: string;
  /** The importer confirmed importing recommendations that are overdue on arrival. */
  confirmOverdue: boolean;
}

/**
 * What an import would create: the inspection's deadlines, each row's due date, and what would be overdue on arrival.
 */
export interface ImportPlan {
  actionPlanDueAt: Date;
  revisitDueAt: Date;
  dueAt: Date[];
  /** "Recommendation 3 (due 28 February 2019)", and the action plan, when already past. */
  overdue: { reference: string | null; at: Date }[];
}

export function readImportForm(
  body: unknown,
  file: { buffer: Buffer; originalname: string } | undefined,
): PostedImport {
  const checked = textField(body, 'checkedCsv');
  return {
    action: textField(body, 'action') === 'import' ? 'import' : 'check',
    values: {
      organisationId: textField(body, 'organisationId').trim(),
      title: textField(body, 'title').trim(),
      programme: textField(body, 'programme').trim(),
      published: readDateParts(body, 'published'),
      leadInspectorId: textField(body, 'leadInspectorId').trim(),
    },
    csv: file && file.buffer.length > 0 ? file.buffer : checked ? Buffer.from(checked, 'base64') : null,
    fileName: file?.originalname || textField(body, 'checkedName'),
    confirmOverdue: textField(body, 'confirmOverdue') === 'yes',
  };
}

export type ImportOutcome =
  | { kind: 'errors'; errors: FormErrors; rows: [] }
  | { kind: 'preview'; rows: ImportedRecommendation[]; plan: ImportPlan | null; errors: FormErrors | null }
  | { kind: 'imported'; inspection: InspectionView };

/**
 * Checks the fields and the file; with `import`, creates the inspection in one transaction. Nothing is saved on any
 * error.
 */
export async function runImport(
  inspections: InspectionsService,
  actor: Actor,
  posted: PostedImport,
): Promise<ImportOutcome> {
  const messages: FieldMessage[] = [];
  const { values } = posted;
  if (!values.organisationId) messages.push({ field: 'organisationId', text: 'Select the organisation' });
  if (!values.title) messages.push({ field: 'title', text: 'Enter the inspection title' });
  if (!values.programme) messages.push({ field: 'programme', text: 'Enter the programme' });
  // The same limits as POST /inspections (checked again by the service whichever way in).
  if (values.title.length > INSPECTION_LIMITS.title)
    messages.push({ field: 'title', text: `Inspection title must be ${INSPECTION_LIMITS.title} characters or fewer` });
  if (values.programme.length > INSPECTION_LIMITS.programme)
    messages.push({ field: 'programme', text: `Programme must be ${INSPECTION_LIMITS.programme} characters or fewer` });
  const published = parseDateParts(values.published, 'published', 'Published date');
  if (!published.ok) messages.push(published.error);
  if (!values.leadInspectorId) messages.push({ field: 'leadInspectorId', text: 'Select the lead inspector' });
  let rows: ImportedRecommendation[] = [];
  if (!posted.csv) {
    messages.push({ field: 'csvFile', text: 'Select a CSV file' });
  } else {
    try {
      rows = readRecommendationsCsv(posted.csv);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== DomainErrorCode.InvalidInput) throw error;
      // Each bad row is its own message, all linking to the file field.
      for (const text of error.details.length ? error.details : [error.message])
        messages.push({ field: `csvFile-${messages.length}`, text, anchor: 'csvFile' });
    }
  }
  if (messages.length > 0) return { kind: 'errors', errors: formErrors(messages), rows: [] };
  if (!published.ok) return { kind: 'preview', rows, plan: null, errors: null };
  const preview = await inspections.previewDeadlines(values.programme, londonStartOfDay(published.date), rows);
  const past = (at: Date) => at.getTime() < preview.now.getTime();
  const plan: ImportPlan = {
    ...preview,
    overdue: [
      ...(past(preview.actionPlanDueAt) ? [{ reference: null, at: preview.actionPlanDueAt }] : []),
      ...rows.flatMap((r, i) => (past(preview.dueAt[i]) ? [{ reference: r.reference, at: preview.dueAt[i] }] : [])),
    ],
  };
  if (posted.action === 'check') return { kind: 'preview', rows, plan, errors: null };
  // Anything overdue on arrival is named on the preview; importing it needs the importer's confirmation.
  if (plan.overdue.length > 0 && !posted.confirmOverdue) {
    return {
      kind: 'preview',
      rows,
      plan,
      errors: formErrors([
        { field: 'confirmOverdue', text: 'Confirm that you want to import recommendations that are already overdue' },
      ]),
    };
  }
  try {
    const inspection = await inspections.importCsv(
      actor,
      {
        organisationId: values.organisationId,
        title: values.title,
        programme: values.programme,
        publishedAt: londonStartOfDay(published.date),
        leadInspectorId: values.leadInspectorId,
      },
      posted.csv!,
    );
    return { kind: 'imported', inspection };
  } catch (error) {
    if (
      !(error instanceof DomainError) ||
      (error.code !== DomainErrorCode.InvalidInput && error.code !== DomainErrorCode.Forbidden)
    )
      throw error;
    const texts = error.details.length ? error.details : [error.message];
    return {
      kind: 'errors',
      errors: formErrors(
        texts.map((text, i) => ({ field: `import-${i}`, text: sentence(text), anchor: fieldOf(text) })),
      ),
      rows: [],
    };
  }
}

/** Which field a service message is about, for the error summary's link. */
function fieldOf(text: string): string {
  if (text.startsWith('organisationId')) return 'organisationId';
  if (text.startsWith('leadInspectorId')) return 'leadInspectorId';
  if (text.startsWith('publishedAt')) return 'published-day';
  if (text.startsWith('title')) return 'title';
  if (text.startsWith('programme')) return 'programme';
  return 'csvFile';
}

const sentence = (text: string): string =>
  text
    .replace(/^organisationId does not name an organisation$/, 'Select an organisation from the list')
    .replace(/^leadInspectorId must name an inspector$/, 'Select an inspector as the lead inspector')
    .replace(
      /^(title|programme) must be at most (\d+) characters$/,
      (_, field: string, max: string) =>
        `${field === 'title' ? 'Inspection title' : 'Programme'} must be ${max} characters or fewer`,
    )
    .replace(/^recommendations\[(\d+)\]\.?/, (_, i: string) => `Row ${Number(i) + 2}: `);
