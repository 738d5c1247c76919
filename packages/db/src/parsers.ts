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

export function parseInstant(text: string): string {
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
