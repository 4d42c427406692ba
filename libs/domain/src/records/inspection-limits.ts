// The one set of limits on an inspection and its recommendations, for every way in: the JSON DTOs, the CSV import API
// and the `/import` form.
import { invalidInput } from '../errors/domain-error.js';

/** The longest text each field takes (characters, after trimming), and the most recommendations in one inspection. */
export const INSPECTION_LIMITS = {
  title: 500,
  programme: 200,
  registerWithheldReason: 2_000,
  /** An inspection report's recommendations, at most (the largest published so far has fewer than 100). */
  recommendations: 500,
} as const;

export const RECOMMENDATION_LIMITS = { reference: 40, text: 10_000, area: 200 } as const;

export interface LimitedInspection {
  title?: string;
  programme?: string;
  recommendations?: readonly { reference?: string; text?: string; area?: string | null }[];
}

const tooLong = (field: string, value: string | null | undefined, max: number): string[] =>
  value != null && value.trim().length > max ? [`${field} must be at most ${max} characters`] : [];

/** Every limit the inspection breaks, named by field (`recommendations[3].text`); nothing when it keeps them all. */
export function inspectionLimitProblems(input: LimitedInspection): string[] {
  const recs = input.recommendations ?? [];
  return [
    ...tooLong('title', input.title, INSPECTION_LIMITS.title),
    ...tooLong('programme', input.programme, INSPECTION_LIMITS.programme),
    ...(recs.length > INSPECTION_LIMITS.recommendations
      ? [
          `recommendations must list at most ${INSPECTION_LIMITS.recommendations} recommendations (${recs.length} given)`,
        ]
      : []),
    ...recs.flatMap((r, i) => [
      ...tooLong(`recommendations[${i}].reference`, r.reference, RECOMMENDATION_LIMITS.reference),
      ...tooLong(`recommendations[${i}].text`, r.text, RECOMMENDATION_LIMITS.text),
      ...tooLong(`recommendations[${i}].area`, r.area, RECOMMENDATION_LIMITS.area),
    ]),
  ];
}

/** Throws one InvalidInput naming every field over its limit (the application checks this on every way in). */
export function assertInspectionLimits(input: LimitedInspection): void {
  const problems = inspectionLimitProblems(input);
  if (problems.length > 0) throw invalidInput(...problems);
}
