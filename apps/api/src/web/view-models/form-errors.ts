// The GOV.UK error summary and per-field messages of a rejected form.

export interface FieldError {
  text: string;
}

export interface FormErrors {
  /** For govukErrorSummary: each message links to its field. */
  summary: { text: string; href: string }[];
  /** For each component's errorMessage, by form field name. */
  fields: Record<string, FieldError>;
}

export interface FieldMessage {
  /** The form field's name; its input's id is the same unless `anchor` says otherwise (e.g. a date's day box). */
  field: string;
  text: string;
  anchor?: string;
}

/** Builds both views of the same messages; a field's first message wins, as GOV.UK shows one per field. */
export function formErrors(messages: readonly FieldMessage[]): FormErrors {
  const fields: Record<string, FieldError> = {};
  const summary: FormErrors['summary'] = [];
  for (const message of messages) {
    if (fields[message.field]) continue;
    fields[message.field] = { text: message.text };
    summary.push({ text: message.text, href: `#${message.anchor ?? message.field}` });
  }
  return { summary, fields };
}

export const NO_ERRORS: FormErrors = { summary: [], fields: {} };

/** A form field's value as text: anything else posted (arrays, objects) counts as nothing. */
export function textField(body: unknown, name: string): string {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}
