/**
 * Typed array parameters for statements that move many rows at once (`unnest($1::uuid[], …)`).
 * On PostgreSQL they travel in the binary array format, so the server copies 16 bytes per uuid
 * and a few base-10000 digits per number instead of parsing text (`uuid_in`, `numeric_in`), which
 * was most of a bulk statement's planning time. PGlite receives a plain array and formats it itself.
 * Decision 0070.
 */
import { type RawBuilder, sql } from 'kysely';

export type ArrayElement = 'uuid' | 'numeric' | 'date' | 'int4' | 'int8' | 'text';
type Value = string | number | bigint | null;

const OID: Record<ArrayElement, number> = {
  uuid: 2950,
  numeric: 1700,
  date: 1082,
  int4: 23,
  int8: 20,
  text: 25,
};

/** A parameter the drivers encode themselves (see `toDriverValue`). */
export class ArrayParam {
  constructor(
    readonly element: ArrayElement,
    readonly values: readonly Value[],
  ) {}
}

/** `$n::<type>[]` bound to `values` (null elements allowed). */
export function typedArray(element: ArrayElement, values: readonly Value[]): RawBuilder<unknown> {
  return sql`${new ArrayParam(element, values)}::${sql.raw(element)}[]`;
}

/** How a parameter reaches each driver: binary arrays for node-postgres, plain arrays for PGlite. */
export function toDriverValue(value: unknown, driver: 'postgres' | 'pglite'): unknown {
  if (!(value instanceof ArrayParam)) return value;
  return driver === 'postgres' ? encodeArray(value) : [...value.values];
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

const bad = (element: ArrayElement, value: Value) =>
  new TypeError(`not a valid ${element} array element: ${String(value)}`);

/**
 * PostgreSQL's binary array format: header, one dimension, then (length, bytes) per element.
 * Bulk columns repeat their values (an item, a location, a quantity): each distinct value is
 * encoded once per array and copied after that.
 */
export function encodeArray(param: ArrayParam): Buffer {
  const { element, values } = param;
  const fixed = FIXED_SIZE[element];
  if (fixed !== undefined) return encodeFixed(param, fixed);
  const encoded = new Map<string, Buffer>();
  const parts = new Array<Buffer | null>(values.length);
  let byteLength = 20;
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      parts[i] = null;
      nulls = 1;
      byteLength += 4;
      continue;
    }
    const key = typeof v === 'string' ? v : String(v);
    let bytes = encoded.get(key);
    if (bytes === undefined) {
      bytes = encodeElement(element, key);
      encoded.set(key, bytes);
    }
    parts[i] = bytes;
    byteLength += 4 + bytes.length;
  }
  const out = header(element, values.length, nulls, byteLength);
  let o = 20;
  for (let i = 0; i < parts.length; i++) {
    const bytes = parts[i];
    if (bytes === null || bytes === undefined) {
      out.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    out.writeInt32BE(bytes.length, o);
    o += 4;
    if (bytes.length > 64) o += bytes.copy(out, o);
    else for (let k = 0; k < bytes.length; k++) out[o++] = bytes[k]!;
  }
  return out;
}

const FIXED_SIZE: Partial<Record<ArrayElement, number>> = { uuid: 16, int4: 4, int8: 8, date: 4 };

function header(element: ArrayElement, length: number, nulls: number, byteLength: number): Buffer {
  const out = Buffer.allocUnsafe(byteLength);
  out.writeInt32BE(1, 0);
  out.writeInt32BE(nulls, 4);
  out.writeInt32BE(OID[element], 8);
  out.writeInt32BE(length, 12);
  out.writeInt32BE(1, 16);
  return out;
}

/** Fixed-size elements written in place; a repeated value is copied from its first occurrence. */
function encodeFixed(param: ArrayParam, size: number): Buffer {
  const { element, values } = param;
  let nulls = 0;
  for (const v of values) if (v === null || v === undefined) nulls++;
  const out = header(
    element,
    values.length,
    nulls > 0 ? 1 : 0,
    20 + values.length * 4 + (values.length - nulls) * size,
  );
  const seen = new Map<string, number>();
  let o = 20;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    out.writeInt32BE(size, o);
    o += 4;
    const key = typeof v === 'string' ? v : String(v);
    const at = seen.get(key);
    if (at !== undefined) for (let k = 0; k < size; k++) out[o + k] = out[at + k]!;
    else {
      writeFixed(element, key, out, o);
      seen.set(key, o);
    }
    o += size;
  }
  return out;
}

function writeFixed(element: ArrayElement, v: string, out: Buffer, o: number): void {
  switch (element) {
    case 'uuid':
      writeUuid(v, out, o);
      return;
    case 'int4': {
      const n = Number(v);
      if (!/^-?\d+$/.test(v) || n < -2147483648 || n > 2147483647) throw bad(element, v);
      out.writeInt32BE(n, o);
      return;
    }
    case 'int8':
      if (!/^-?\d+$/.test(v)) throw bad(element, v);
      out.writeBigInt64BE(BigInt(v), o);
      return;
    default:
      out.writeInt32BE(daysSince2000(v), o);
  }
}

function encodeElement(element: ArrayElement, v: string): Buffer {
  if (element === 'text') return Buffer.from(v, 'utf8');
  const n = numericDigits(v);
  const out = Buffer.allocUnsafe(8 + 2 * n.digits.length);
  out.writeInt16BE(n.digits.length, 0);
  out.writeInt16BE(n.weight, 2);
  out.writeUInt16BE(n.negative ? 0x4000 : 0, 4);
  out.writeInt16BE(n.scale, 6);
  for (let d = 0; d < n.digits.length; d++) out.writeInt16BE(n.digits[d]!, 8 + 2 * d);
  return out;
}

function writeUuid(id: string, out: Buffer, at: number): void {
  if (id.length !== 36) throw bad('uuid', id);
  let o = at;
  for (let j = 0; j < 36; j++) {
    const c = id.charCodeAt(j);
    if (j === 8 || j === 13 || j === 18 || j === 23) {
      if (c !== 45) throw bad('uuid', id);
      continue;
    }
    const hi = c < 128 ? NIBBLE[c]! : -1;
    const c2 = id.charCodeAt(++j);
    const lo = c2 < 128 ? NIBBLE[c2]! : -1;
    if (hi < 0 || lo < 0) throw bad('uuid', id);
    out[o++] = (hi << 4) | lo;
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_2000 = Date.UTC(2000, 0, 1);
function daysSince2000(text: string): number {
  const m = DATE.exec(text);
  if (!m) throw bad('date', text);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const back = new Date(at);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) throw bad('date', text);
  return (at - EPOCH_2000) / 86_400_000;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** A plain decimal string as PostgreSQL's numeric: base-10000 digits, weight, sign, scale. */
export function numericDigits(text: string): {
  digits: number[];
  weight: number;
  negative: boolean;
  scale: number;
} {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw bad('numeric', text);
  const whole = m[2]!.replace(/^0+/, '');
  const fraction = m[3] ?? '';
  const scale = fraction.length;
  // Whole part left-padded and fraction right-padded to groups of four decimal digits.
  const head = whole.padStart(Math.ceil(whole.length / 4) * 4, '0');
  const tail = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  const all = head + tail;
  const digits: number[] = [];
  for (let i = 0; i < all.length; i += 4) digits.push(Number(all.slice(i, i + 4)));
  let weight = head.length / 4 - 1;
  let first = 0;
  while (first < digits.length && digits[first] === 0) {
    first++;
    weight--;
  }
  let last = digits.length;
  while (last > first && digits[last - 1] === 0) last--;
  const kept = digits.slice(first, last);
  if (kept.length === 0) return { digits: [], weight: 0, negative: false, scale };
  return { digits: kept, weight, negative: m[1] === '-', scale };
}
