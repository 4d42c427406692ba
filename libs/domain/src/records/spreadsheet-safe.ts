// Cells that a spreadsheet would run as a formula are written as text.

/** Characters with which a spreadsheet starts a formula (tab and carriage return hide one after them). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text, with a leading apostrophe when it would otherwise start a formula. */
export function spreadsheetSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}
