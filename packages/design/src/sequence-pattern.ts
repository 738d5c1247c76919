// Numbering series patterns: human document numbers such as ITM-202501-0001 or WO-A01-001.
// Pure: the instant, the time zone and the counter value are inputs; no I/O, no clock.
//
//   ITM-{YYYY}{MM}-{SEQ:4}        ITM-202501-0001       counter resets monthly
//   SUP-{SEQ:5}                   SUP-00001             never resets
//   WO-{field:line}-{SEQ:3}       WO-A01-001            one counter per line
//   LOT-{YYYY}{MM}{DD}-{SEQ:3}    LOT-20250107-001      resets daily
//
// Tokens: {YYYY} {YY} {MM} {DD} are date parts of the instant in the series' time zone; {SEQ:n} is the
// counter zero-padded to n digits (1..12; a larger counter keeps all its digits); {field:name} is the
// value of another field of the record. Everything outside braces is literal text.
import { datePartsIn } from '@tenon/core';

export type SequenceReset = 'never' | 'yearly' | 'monthly' | 'daily';

export type DatePart = 'YYYY' | 'YY' | 'MM' | 'DD';

export type PatternToken =
  | { kind: 'literal'; text: string }
  | { kind: 'date'; part: DatePart }
  | { kind: 'seq'; width: number }
  | { kind: 'field'; name: string };

export type ParsedPattern = { tokens: PatternToken[]; fieldRefs: string[]; impliedReset: SequenceReset };

export class SequencePatternError extends Error {
  override name = 'SequencePatternError';
}

const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const SEQ_TOKEN = /^SEQ(?::(.*))?$/;
const MAX_SEQ_WIDTH = 12;
const DATE_PARTS: ReadonlySet<string> = new Set<DatePart>(['YYYY', 'YY', 'MM', 'DD']);
const RESETS: ReadonlySet<string> = new Set<SequenceReset>(['never', 'yearly', 'monthly', 'daily']);

function parseToken(body: string, pattern: string, at: number): PatternToken {
  if (DATE_PARTS.has(body)) return { kind: 'date', part: body as DatePart };
  const seq = SEQ_TOKEN.exec(body);
  if (seq) {
    const width = seq[1];
    if (width === undefined || !/^\d+$/.test(width) || Number(width) < 1 || Number(width) > MAX_SEQ_WIDTH) {
      throw new SequencePatternError(
        `{${body}} at position ${at} of '${pattern}': the counter needs a width from 1 to ${MAX_SEQ_WIDTH}, e.g. {SEQ:4}`,
      );
    }
    return { kind: 'seq', width: Number(width) };
  }
  if (body.startsWith('field:')) {
    const name = body.slice('field:'.length);
    if (!FIELD_NAME.test(name)) {
      throw new SequencePatternError(
        `{${body}} at position ${at} of '${pattern}': '${name}' is not a field name (lowercase letters, digits and _, starting with a letter)`,
      );
    }
    return { kind: 'field', name };
  }
  throw new SequencePatternError(
    `unknown token {${body}} at position ${at} of '${pattern}'; use {YYYY}, {YY}, {MM}, {DD}, {SEQ:n} or {field:name}`,
  );
}

function impliedResetOf(tokens: PatternToken[]): SequenceReset {
  const parts = new Set(tokens.flatMap((t) => (t.kind === 'date' ? [t.part] : [])));
  if (parts.has('DD')) return 'daily';
  if (parts.has('MM')) return 'monthly';
  if (parts.has('YYYY') || parts.has('YY')) return 'yearly';
  return 'never';
}

/**
 * Validates and parses a pattern. Exactly one {SEQ:n} with 1 <= n <= 12 is required; unknown tokens,
 * unbalanced braces and bad field names are refused. `fieldRefs` lists each referenced field once, in
 * order of first use. `impliedReset` is daily if {DD} is present, else monthly if {MM}, else yearly if
 * {YYYY} or {YY}, else never.
 */
export function parseSequencePattern(pattern: string): ParsedPattern {
  const tokens: PatternToken[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '}') {
      throw new SequencePatternError(`unbalanced '}' at position ${i} of '${pattern}'`);
    }
    if (ch !== '{') {
      literal += ch;
      i++;
      continue;
    }
    const close = pattern.indexOf('}', i + 1);
    const nested = pattern.indexOf('{', i + 1);
    if (close === -1 || (nested !== -1 && nested < close)) {
      throw new SequencePatternError(`unclosed '{' at position ${i} of '${pattern}'`);
    }
    if (literal !== '') tokens.push({ kind: 'literal', text: literal });
    literal = '';
    tokens.push(parseToken(pattern.slice(i + 1, close), pattern, i));
    i = close + 1;
  }
  if (literal !== '') tokens.push({ kind: 'literal', text: literal });

  const seqCount = tokens.filter((t) => t.kind === 'seq').length;
  if (seqCount !== 1) {
    throw new SequencePatternError(
      seqCount === 0
        ? `'${pattern}' has no counter; add exactly one {SEQ:n}, e.g. {SEQ:4}`
        : `'${pattern}' has ${seqCount} counters; exactly one {SEQ:n} is allowed`,
    );
  }
  const fieldRefs = [...new Set(tokens.flatMap((t) => (t.kind === 'field' ? [t.name] : [])))];
  return { tokens, fieldRefs, impliedReset: impliedResetOf(tokens) };
}

/**
 * The reset a series uses: `reset` when given, else the pattern's implied reset. A reset finer than the
 * pattern's date tokens can show is refused: the counter would restart while the printed date stays the
 * same, issuing a number twice. 'daily' needs {DD}, 'monthly' needs {MM}, 'yearly' needs {YYYY} or {YY}.
 * A coarser reset is allowed (LOT-{YYYY}{MM}{DD}-{SEQ:3} counting through the year). Call it when a
 * series is saved.
 */
export function resolveSequenceReset(parsed: ParsedPattern, reset?: SequenceReset): SequenceReset {
  if (reset === undefined) return parsed.impliedReset;
  if (!RESETS.has(reset)) throw new SequencePatternError(`unknown reset '${String(reset)}'`);
  const has = (part: DatePart) => parsed.tokens.some((t) => t.kind === 'date' && t.part === part);
  const missing =
    (reset === 'daily' && !has('DD') && '{DD}') ||
    (reset === 'monthly' && !has('MM') && '{MM}') ||
    (reset === 'yearly' && !has('YYYY') && !has('YY') && '{YYYY} or {YY}');
  if (missing) {
    throw new SequencePatternError(
      `a ${reset} reset needs ${missing} in the pattern, otherwise numbers repeat; use a coarser reset or add the token`,
    );
  }
  return reset;
}

/** A referenced field's value as it appears in a number. */
function fieldText(values: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new SequencePatternError(`the number needs a value for field '${name}'`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new SequencePatternError(`field '${name}' has no usable value for a number: ${value}`);
  }
  if (!['string', 'number', 'bigint', 'boolean'].includes(typeof value)) {
    throw new SequencePatternError(`field '${name}' must be text or a number to appear in a number`);
  }
  const text = String(value);
  if (text.includes('{') || text.includes('}')) {
    throw new SequencePatternError(
      `field '${name}' contains '{' or '}', which a number cannot hold: '${text}'`,
    );
  }
  return text;
}

/**
 * The counter partition key: the period of the effective reset ('2025', '2025-01', '2025-01-07', or ''
 * for never) followed by `name=value` for each referenced field, joined by '|', with values
 * URI-encoded so that no two partitions share a key. `WO-{field:line}-{SEQ:3}` at reset never gives
 * 'line=A01'; `LOT-{YYYY}{MM}{DD}-{field:line}-{SEQ:3}` gives '2025-01-07|line=A01'. The period is
 * taken in `timeZone`. A missing field value or a reset finer than the pattern shows throws.
 */
export function sequencePeriodKey(
  parsed: ParsedPattern,
  input: { at: Date; timeZone: string; values: Record<string, unknown>; reset?: SequenceReset },
): string {
  const reset = resolveSequenceReset(parsed, input.reset);
  const keys: string[] = [];
  if (reset !== 'never') {
    const { year, month, day } = datePartsIn(input.at, input.timeZone);
    keys.push(
      reset === 'yearly' ? year : reset === 'monthly' ? `${year}-${month}` : `${year}-${month}-${day}`,
    );
  }
  for (const name of parsed.fieldRefs) {
    keys.push(`${name}=${encodeURIComponent(fieldText(input.values, name))}`);
  }
  return keys.join('|');
}

function seqText(seq: number | bigint, width: number): string {
  const valid = typeof seq === 'bigint' ? seq >= 1n : Number.isSafeInteger(seq) && seq >= 1;
  if (!valid) throw new SequencePatternError(`the counter must be a positive integer, got ${String(seq)}`);
  return String(seq).padStart(width, '0');
}

/**
 * Renders a number: `ITM-{YYYY}{MM}-{SEQ:4}` at 2025-01-15 with seq 1 -> 'ITM-202501-0001'. Date parts are
 * taken in `timeZone` (2025-01-31T20:00:00Z in Asia/Shanghai is 2025-02-01). Field values are rendered
 * with String(); a missing or blank value, an object, or one containing '{' or '}' throws.
 */
export function formatSequence(
  parsed: ParsedPattern,
  input: { at: Date; timeZone: string; values: Record<string, unknown>; seq: number | bigint },
): string {
  const needsDate = parsed.tokens.some((t) => t.kind === 'date');
  const date = needsDate ? datePartsIn(input.at, input.timeZone) : undefined;
  let out = '';
  for (const token of parsed.tokens) {
    switch (token.kind) {
      case 'literal':
        out += token.text;
        break;
      case 'seq':
        out += seqText(input.seq, token.width);
        break;
      case 'field':
        out += fieldText(input.values, token.name);
        break;
      case 'date': {
        const { year, month, day } = date!;
        out +=
          token.part === 'YYYY'
            ? year
            : token.part === 'YY'
              ? year.slice(-2)
              : token.part === 'MM'
                ? month
                : day;
        break;
      }
    }
  }
  return out;
}
