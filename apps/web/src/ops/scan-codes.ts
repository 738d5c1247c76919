/** Comparing scanned codes and checking typed quantities (decimal strings, never floats). */

/** A scanned code matches an expected one regardless of case and surrounding blanks. */
export function sameCode(expected: string, scanned: string): boolean {
  return expected !== '' && expected.trim().toUpperCase() === scanned.trim().toUpperCase();
}

/** A non-negative decimal string as the API takes it. */
export function isDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text.trim());
}

/** Exact `a + b - c` of decimal strings (BigInt on scaled digits, no floats), as a decimal string. */
export function sumMinus(a: string, b: string, c: string): string {
  const scale = Math.max(...[a, b, c].map((x) => (x.split('.')[1] ?? '').length));
  const big = (x: string) => {
    const [int = '0', frac = ''] = x.replace('-', '').split('.');
    const v = BigInt(int + frac.padEnd(scale, '0'));
    return x.startsWith('-') ? -v : v;
  };
  const r = big(a) + big(b) - big(c);
  const digits = (r < 0n ? -r : r).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale ? digits.slice(digits.length - scale).replace(/0+$/, '') : '';
  return `${r < 0n ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** A quantity as a person reads it: `"15.000000"` -> `"15"`, `"2.500"` -> `"2.5"`. */
export function plainQuantity(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
