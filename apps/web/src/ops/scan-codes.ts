/** Comparing scanned codes and checking typed quantities (decimal strings, never floats). */

/** A scanned code matches an expected one regardless of case and surrounding blanks. */
export function sameCode(expected: string, scanned: string): boolean {
  return expected !== '' && expected.trim().toUpperCase() === scanned.trim().toUpperCase();
}

/** A non-negative decimal string as the API takes it. */
export function isDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text.trim());
}
