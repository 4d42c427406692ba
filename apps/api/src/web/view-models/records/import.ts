// The `/import` page's view model: the inspection's fields, the file, and a preview of every row once checked.
import { periodText } from '../admin-policies.js';
import type { ImportedRecommendation } from '#domain';
import type { ImportPlan, ImportValues } from '../../forms/import.form.js';
import { londonDate } from '../format.js';
import type { FormErrors } from '../form-errors.js';
import { pageTitle } from '../../page-title.js';

export function importModel(
  values: ImportValues,
  organisations: { id: string; name: string }[],
  inspectors: { id: string; name: string }[],
  errors: FormErrors,
  preview?: { rows: ImportedRecommendation[]; plan?: ImportPlan | null; csv: string; fileName: string },
) {
  const option = (value: string, text: string, current: string) => ({ value, text, selected: value === current });
  return {
    pageTitle: pageTitle(preview ? 'Check the recommendations' : 'Import recommendations'),
    values,
    errors,
    /** Every message about the file (one per bad row), shown under the file field. */
    fileErrorHtml: errors.summary
      .filter((e) => e.href === '#csvFile')
      .map((e) => escapeHtml(e.text))
      .join('<br>'),
    organisations: [
      { value: '', text: 'Select an organisation' },
      ...organisations.map((o) => option(o.id, o.name, values.organisationId)),
    ],
    inspectors: [
      { value: '', text: 'Select an inspector' },
      ...inspectors.map((u) => option(u.id, u.name, values.leadInspectorId)),
    ],
    preview: preview
      ? {
          csv: preview.csv,
          fileName: preview.fileName,
          count: preview.rows.length,
          actionPlanDue: preview.plan ? londonDate(preview.plan.actionPlanDueAt) : '',
          revisitDue: preview.plan ? londonDate(preview.plan.revisitDueAt) : '',
          overdue: (preview.plan?.overdue ?? []).map((o) =>
            o.reference === null
              ? `The action plan (due ${londonDate(o.at)})`
              : `Recommendation ${o.reference} (due ${londonDate(o.at)})`,
          ),
          rows: preview.rows.map((r, i) => ({
            row: r.row,
            reference: r.reference,
            text: r.text,
            timeframe: r.timeframe === 'immediately' ? 'Immediately' : r.timeframe ? periodText(r.timeframe) : '',
            due: preview.plan ? londonDate(preview.plan.dueAt[i]) : r.dueAt ? londonDate(r.dueAt) : '',
            priority: r.priority === undefined ? '' : r.priority ? 'Yes' : 'No',
            area: r.area ?? '',
          })),
        }
      : null,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
