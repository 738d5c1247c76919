/**
 * Decimal strings for display and input, without ever turning them into binary floats: money and
 * quantities arrive as strings ("1234.5") and are formatted by digit manipulation only.
 */
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

/** Rounds half away from zero to `scale` digits, on the digits of the string. */
export function roundDecimal(value: string, scale: number): string {
  if (!isDecimalString(value)) return value;
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  if (frac.length <= scale) return negative && /^[0.]*$/.test(int + frac) ? value.slice(1) : value;
  const digits = (int + frac.slice(0, scale)).split('').map(Number);
  if (Number(frac[scale]) >= 5) {
    let i = digits.length - 1;
    while (i >= 0) {
      if (digits[i] === 9) {
        digits[i] = 0;
        i--;
      } else {
        digits[i] = (digits[i] ?? 0) + 1;
        break;
      }
    }
    if (i < 0) digits.unshift(1);
  }
  const all = digits.join('');
  const intPart = all.slice(0, all.length - scale).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = scale > 0 ? `.${all.slice(all.length - scale)}` : '';
  const result = intPart + fracPart;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/** `"-1234567.5"` -> `"-1,234,567.50"` with `scale` 2; the exact digits otherwise. */
export function formatDecimal(value: string, scale?: number): string {
  if (!isDecimalString(value)) return value;
  let text = scale === undefined ? value : roundDecimal(value, scale);
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  let [int = '0', frac = ''] = text.split('.');
  if (scale !== undefined) frac = frac.padEnd(scale, '0');
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Minor digits of a currency (ISO 4217); 2 unless known otherwise. */
export function currencyScale(currency: string | undefined): number {
  if (!currency) return 2;
  if (['JPY', 'KRW', 'VND', 'CLP', 'ISK'].includes(currency)) return 0;
  if (['BHD', 'KWD', 'OMR', 'JOD', 'TND'].includes(currency)) return 3;
  return 2;
}

/** Cleans what a person typed ("1,234.50 ", "１２") into a decimal string, or null if it is not one. */
export function parseDecimalInput(text: string): string | null {
  const cleaned = text
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[,，\s]/g, '')
    .replace(/^\+/, '')
    .replace(/^(-?)0+(?=\d)/, '$1');
  return isDecimalString(cleaned) ? cleaned : null;
}
