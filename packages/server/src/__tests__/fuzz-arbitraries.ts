/**
 * The fuzzed entities, and generators of hostile input for them: values, bodies, query strings,
 * path segments and headers.
 */
import fc from 'fast-check';

const label = (en: string) => ({ en });
const f = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: label(name),
  kind,
  ...extra,
});

export const FUZZ_DEFINITIONS = [
  { name: 'fz_customer', label: label('Customer'), fields: [f('name', 'string', { unique: true })] },
  { name: 'fz_tag', label: label('Tag'), fields: [f('name', 'string')] },
  {
    name: 'fz_line',
    label: label('Line'),
    childOf: 'fz_doc',
    fields: [
      f('note', 'string', { required: true, maxLength: 30 }),
      f('qty', 'quantity', { min: '0' }),
      f('price', 'money'),
      f('customer', 'link', { target: 'fz_customer' }),
    ],
  },
  {
    name: 'fz_doc',
    label: label('Document'),
    fields: [
      f('code', 'sequence', { sequence: { pattern: 'FZ-{SEQ:5}' } }),
      f('title', 'string', { required: true, maxLength: 40, pattern: '^[A-Za-z]' }),
      f('notes', 'text'),
      f('rank', 'integer', { min: 1, max: 100 }),
      f('ratio', 'decimal', { precision: 10, scale: 2 }),
      f('amount', 'money', { min: '0' }),
      f('currency', 'select', { options: ['CNY', 'USD'].map((c) => ({ value: c, label: label(c) })) }),
      f('foreign', 'money', { currencyField: 'currency' }),
      f('weight', 'quantity'),
      f('active', 'boolean', { default: true }),
      f('due', 'date', { min: '2000-01-01' }),
      f('seen_at', 'datetime'),
      f('opens', 'time'),
      f('state', 'select', {
        actionOwned: true,
        default: 'draft',
        options: ['draft', 'done'].map((v) => ({ value: v, label: label(v) })),
      }),
      f('email', 'string', { unique: true }),
      f('fixed', 'string', { readOnly: true }),
      f('customer', 'link', { target: 'fz_customer', onDelete: 'restrict' }),
      f('lines', 'children', { target: 'fz_line' }),
      f('tags', 'multi_link', { target: 'fz_tag' }),
      f('extra', 'json'),
      f('photo', 'attachment'),
      f('total', 'formula', { resultKind: 'decimal', expression: 'round(weight * amount, 2)' }),
    ],
    unique: [['title', 'due']],
  },
];

export const FIELD_NAMES = FUZZ_DEFINITIONS.flatMap((d) => d.fields.map((x) => x.name));

/** Ids the generators draw from: filled in by the specs (real records, users...). */
export const pools = { ids: [] as string[], customers: [] as string[], tags: [] as string[] };

const SYSTEM = [
  'id',
  'version',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'parent_id',
  'line_no',
];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '$where',
];

// ---------------------------------------------------------------- values

const nul = fc.constantFrom('a\u0000b', '\u0000', 'x\u0000'.repeat(50));
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: nul },
  {
    weight: 1,
    arbitrary: fc.constantFrom('\ud800', 'a\udfff', '\u202e', '\ufeff', 'e\u0301', '😀'.repeat(30)),
  },
  { weight: 1, arbitrary: fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "' OR 1=1 --",
      '"; DROP TABLE fz_doc; --',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
      '${1+1}',
      '{{7*7}}',
      '<script>x</script>',
    ),
  },
);
const decimalLike = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '1e5',
    '1E-7',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '1_000',
    ' 1',
    '1,5',
    '.5',
    '5.',
  ),
  fc.constantFrom('12345678901234567890.123456789', '99999999.99', '100000000.00', '-0.001', '1'.repeat(400)),
  fc.tuple(fc.integer(), fc.nat(99_999)).map(([a, b]) => `${a}.${b}`),
);
const dateLike = fc.oneof(
  fc.constantFrom(
    '2024-02-29',
    '2023-02-29',
    '2025-13-01',
    '0000-01-01',
    '9999-12-31',
    '+275760-09-13',
    '1999-12-31',
  ),
  fc.constantFrom(
    '2025-01-07T10:30:00',
    '2025-01-07T10:30:00Z',
    '2025-01-07T25:00:00+08:00',
    '24:00',
    '23:59:60',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const numberLike = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, 0.1, 5e-324, 101, 1),
);
export const idLike = fc.oneof(
  fc.uuid(),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-7FFF-BFFF-FFFFFFFFFFFF', '{x}', '1'),
  fc.constant(null).map(() => pools.ids[0] ?? '0190a0a0-0000-7000-8000-000000000000'),
  fc.nat(50).map((i) => pools.ids[i % Math.max(1, pools.ids.length)] ?? 'none'),
  fc.nat(10).map((i) => pools.customers[i % Math.max(1, pools.customers.length)] ?? 'none'),
  fc.nat(10).map((i) => pools.tags[i % Math.max(1, pools.tags.length)] ?? 'none'),
);
export const scalar: fc.Arbitrary<unknown> = fc.oneof(
  anyString,
  decimalLike,
  dateLike,
  numberLike,
  idLike,
  fc.boolean(),
  fc.constant(null),
);

/** A value nested `depth` times in arrays or objects. */
const deep = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  // fast-check would print a counterexample recursively and overflow the stack
  Object.defineProperty(v, fc.toStringMethod, {
    value: () => `<${depth} nested ${arrays ? 'arrays' : 'objects'}>`,
  });
  return v;
});

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...SYSTEM, ...HOSTILE_KEYS) },
  { weight: 2, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), unicode) },
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: scalar },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.array(idLike, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: deep },
  ),
}));

export { value };

/** A record-like object: real field names with hostile values, and other keys. */
export const recordBody = fc.dictionary(key, value, { maxKeys: 10 });

/** What a request carries as its body: usually JSON, sometimes not JSON at all. */
export type Payload =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string; type: string }
  | { kind: 'none' };

export const payload: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 8, arbitrary: recordBody.map((v) => ({ kind: 'json' as const, value: v })) },
  { weight: 2, arbitrary: value.map((v) => ({ kind: 'json' as const, value: v })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '{',
          '',
          'null',
          '"str"',
          '[]',
          '1',
          '\ufeff{}',
          '{"__proto__":{"admin":true}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '{"title":"a","title":"b"}',
          '{"a":1}garbage',
          'title=x&notes=y',
          '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--x--',
        ),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/json; charset=utf-8; x=y',
        ),
      )
      .map(([text, type]) => ({ kind: 'raw' as const, text, type })),
  },
);

// ---------------------------------------------------------------- URLs and headers

const RAW_SEGMENTS = ['%', '%zz', '%00', '%2F', '..', '.', '%C0%AE', '%E0%A4%A', '%FF', 'a%20b', '~', '*'];
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'x'; // a lone surrogate cannot be encoded: nothing to send
  }
};

/** A path segment: a known name, a real id, or something hostile (already URL-encoded). */
export const segment = (known: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: known.map(enc) },
    { weight: 2, arbitrary: anyString.filter((s) => s.length < 2000).map(enc) },
    { weight: 2, arbitrary: idLike.map(String).map(enc) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('__proto__', 'constructor', '_audit', '_file', 'pg_catalog.pg_user')
        .map(enc),
    },
  );

const OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'startsWith',
  'between',
  'null',
  'like',
  'regex',
  '',
];
const fieldRef = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES, ...SYSTEM) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('customer.name', 'lines.note', 'tags.name', 'customer.customer.name', 'a.b.c'),
  },
  { weight: 1, arbitrary: anyString.filter((s) => s.length < 100) },
);
const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          field: fieldRef,
          op: fc.constantFrom(...OPS),
          value: fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ and: fc.array(tie('condition'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ or: fc.array(tie('condition'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ not: tie('condition') }) },
    { weight: 1, arbitrary: value },
  ),
}));

const param = fc.oneof(
  fc
    .tuple(fieldRef, fc.constantFrom(...OPS), scalar)
    .map(([fld, op, v]) => `filter[${enc(fld)}][${enc(op)}]=${enc(text(v))}`),
  fc.tuple(fieldRef, scalar).map(([fld, v]) => `filter[${enc(fld)}]=${enc(text(v))}`),
  condition.map((c) => `filter=${enc(JSON.stringify(c) ?? '')}`),
  fc
    .array(fc.tuple(fc.boolean(), fieldRef), { maxLength: 3 })
    .map((l) => `sort=${enc(l.map(([d, x]) => (d ? '-' : '') + x).join(','))}`),
  fc.array(fieldRef, { maxLength: 4 }).map((l) => `fields=${enc(l.join(','))}`),
  fc.array(fieldRef, { maxLength: 3 }).map((l) => `expand=${enc(l.join(','))}`),
  fc.oneof(numberLike, anyString).map((v) => `page=${enc(text(v))}`),
  fc.oneof(numberLike, anyString).map((v) => `pageSize=${enc(text(v))}`),
  fc
    .oneof(
      anyString,
      value.map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
    )
    .map((v) => `cursor=${enc(v)}`),
  fc.constantFrom(
    'total=true',
    'total=1',
    'dryRun=true',
    'confirm=true',
    'resolved=true',
    'filter=',
    'filter[]=1',
    'sort=',
    'a[b][c][d][e]=1',
    'filter[title][eq]=a&filter[title][eq]=b',
    '__proto__[x]=1',
  ),
  fc.tuple(anyString, anyString).map(([k, v]) => `${enc(k)}=${enc(v)}`),
);
export const query = fc.array(param, { maxLength: 5 }).map((l) => (l.length ? `?${l.join('&')}` : ''));

const headerSafe = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
export type Auth = 'admin' | 'none' | 'garbage';
const someHeaders = fc.record(
  {
    'if-match': fc.oneof(
      fc.constantFrom(
        '"1"',
        'W/"1"',
        '"2"',
        '*',
        '1',
        '""',
        '"-1"',
        '"99999999999"',
        '"1.5"',
        'W/',
        '"1", "2"',
      ),
      headerSafe,
    ),
    'idempotency-key': fc.oneof(
      headerSafe,
      fc.constantFrom('k1', 'k2'),
      fc.nat(300).map((n) => 'k'.repeat(n)),
    ),
    'accept-language': fc.constantFrom('en', 'zh-CN', 'fr', '*', 'en-US,en;q=0.9', ''),
  },
  { requiredKeys: [] },
);
export const headers = fc.oneof(
  { weight: 2, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: someHeaders },
);
export const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('admin' as const) },
  { weight: 1, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constant('garbage' as const) },
);
