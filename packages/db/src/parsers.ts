/**
 * One set of type parsers for both drivers, so PGlite and PostgreSQL return identical values:
 * numeric and int8 stay strings, dates stay `YYYY-MM-DD`, instants become UTC ISO strings.
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

const PG_INSTANT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?)?$/;

/** `YYYY-MM-DD HH:MM:SS[.f{1,6}]+00`, what the server sends with TimeZone=UTC: rewritten without a Date. */
function utcInstant(text: string): string | null {
  const length = text.length;
  if (length < 22 || length > 29 || text.charCodeAt(10) !== 32 || !text.endsWith('+00')) return null;
  const day = text.slice(0, 10);
  const time = text.slice(11, 19);
  if (length === 22) return `${day}T${time}.000Z`;
  if (text.charCodeAt(19) !== 46) return null;
  // Date truncates to milliseconds: so does this.
  return `${day}T${time}.${text
    .slice(20, length - 3)
    .padEnd(3, '0')
    .slice(0, 3)}Z`;
}

export function parseInstant(text: string): string {
  const fast = utcInstant(text);
  if (fast !== null) return fast;
  const m = PG_INSTANT.exec(text);
  if (!m) return text;
  const offset = m[3] ? `${m[3]}:${m[4] ?? '00'}` : 'Z';
  return new Date(`${m[1]}T${m[2]}${offset}`).toISOString();
}

const identity = (text: string) => text;

export const textParsers: Record<number, (text: string) => unknown> = {
  [OID.int8]: identity,
  [OID.numeric]: identity,
  [OID.date]: identity,
  [OID.time]: identity,
  [OID.timestamp]: parseInstant,
  [OID.timestamptz]: parseInstant,
};
