// Identifiers for user-defined entities and fields, derived from their labels.
// Pure: no I/O, no clock. The result only depends on the label, the options and the pinyin-pro
// dictionary (this module never calls pinyin-pro's global `customPinyin`). An identifier is derived
// once, when the entity or field is created, and stored; it is not re-derived from a renamed label.
import { pinyin } from 'pinyin-pro';

/** A PostgreSQL-safe snake_case name: starts with a letter, at most 63 bytes (NAMEDATALEN - 1). */
export const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

const MAX_IDENTIFIER_LENGTH = 63;
const PREFIX = /^[a-z][a-z0-9_]*$/;
const NOT_ALNUM_RUN = /[^a-z0-9]+/g;
const COMBINING_MARKS = /\p{M}+/gu;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

function checkMaxLength(maxLength: number): void {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_IDENTIFIER_LENGTH) {
    throw new RangeError(`maxLength must be an integer from 1 to ${MAX_IDENTIFIER_LENGTH}, got ${maxLength}`);
  }
}

/** Cuts to `maxLength` characters and drops the '_' left at the end (the text is ASCII here). */
function cut(text: string, maxLength: number): string {
  return text.slice(0, maxLength).replace(/_+$/, '');
}

/** Latin text and pinyin syllables as lowercase ASCII words joined by '_'. */
function asciiWords(label: string): string {
  // Chinese characters become toneless pinyin syllables (ü as 'v', e.g. 绿 -> 'lv'), read as phrases so
  // polyphonic characters get the reading of their word (重庆 -> chong qing, 银行 -> yin hang).
  // Runs of other characters come back unchanged as one element each.
  const parts = pinyin(label, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  return (
    parts
      .join('_')
      .toLowerCase()
      // 'café' -> 'cafe', full-width 'ＡＢＣ' -> 'abc', 'ⅻ' -> 'xii'.
      .normalize('NFKD')
      .replace(COMBINING_MARKS, '')
      .replace(NOT_ALNUM_RUN, '_')
      .replace(/^_+|_+$/g, '')
  );
}

/**
 * '患者' -> 'huan_zhe'; '治疗项目' -> 'zhi_liao_xiang_mu'; 'Full Name' -> 'full_name';
 * '客户2号' -> 'ke_hu_2_hao'; '订单Order' -> 'ding_dan_order'; '123' -> 'f_123'; '!!!' -> 'f'.
 *
 * Chinese is written as toneless pinyin (pinyin-pro's default reading for the phrase), other text is
 * lowercased with accents removed, every run of characters outside [a-z0-9] becomes one '_', and '_' is
 * trimmed from both ends. When the result would start with a digit it is prefixed with
 * `fallbackPrefix` + '_'; when it would be empty it is `fallbackPrefix` alone. The result is cut to
 * `maxLength` (default 63) without a trailing '_'. Always matches IDENTIFIER; two labels can give the
 * same identifier, so pass the result through `uniqueIdentifier`.
 */
export function identifierFromLabel(
  label: string,
  options: { fallbackPrefix?: string; maxLength?: number } = {},
): string {
  const { fallbackPrefix = 'f', maxLength = MAX_IDENTIFIER_LENGTH } = options;
  checkMaxLength(maxLength);
  if (!PREFIX.test(fallbackPrefix)) {
    throw new RangeError(`fallbackPrefix must match ${PREFIX}, got '${fallbackPrefix}'`);
  }
  const words = asciiWords(label);
  if (words === '') return cut(fallbackPrefix, maxLength);
  const name = /^[a-z]/.test(words) ? words : `${fallbackPrefix}_${words}`;
  return cut(name, maxLength);
}

/**
 * Makes `base` unique among `taken`: `base` itself when it is free, else `base_2`, `base_3`, ...
 * shortening `base` so that the result stays within `maxLength` (default 63). `base` must be an
 * identifier (it is first cut to `maxLength`). Throws a RangeError only when no suffixed name can
 * fit, which needs a tiny `maxLength`.
 */
export function uniqueIdentifier(
  base: string,
  taken: ReadonlySet<string>,
  maxLength: number = MAX_IDENTIFIER_LENGTH,
): string {
  checkMaxLength(maxLength);
  const root = cut(base, maxLength);
  if (!isIdentifier(root)) throw new RangeError(`not an identifier: '${base}'`);
  if (!taken.has(root)) return root;
  // Each candidate is distinct from the previous ones, so at most taken.size + 1 rounds are needed.
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const head = cut(root, maxLength - suffix.length);
    if (head === '') {
      throw new RangeError(`no unique identifier for '${base}' fits in ${maxLength} characters`);
    }
    const candidate = head + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
