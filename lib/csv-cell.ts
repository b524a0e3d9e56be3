/**
 * Spreadsheet formula injection (CWE-1236): a CSV cell that starts with = + - @ (or a tab or carriage return)
 * is run as a formula when an admin opens the export in Excel, LibreOffice or Google Sheets, so a citizen's
 * `=HYPERLINK("http://…","klik")` would become a live link or worse. OWASP's advice: prefix such a cell with a
 * single quote, which every spreadsheet shows as text and which a person reading the file understands.
 * Leading spaces do not disarm a formula in every spreadsheet, so the check looks past them; the full-width
 * forms (＝＋－＠) are treated as formulas by some East Asian locales and are escaped too.
 */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

export function escapeCsvFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** csv-stringify `cast` option that escapes every string cell (numbers, booleans and dates are left alone). */
export const SAFE_CSV_CAST = { string: escapeCsvFormula } as const;
