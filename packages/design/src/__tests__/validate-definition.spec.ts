import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, type FieldError } from '@tenon/core';
import type { EntityDef } from '../types.ts';
import { type NormalizeContext, normalizeEntity } from '../validate-definition.ts';

const label = (en: string) => ({ en });
const field = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: label(name),
  kind,
  ...extra,
});

/** The tenant's other definitions: a concrete entity, an abstract base, a document and its lines. */
const existing: Record<string, EntityDef> = {
  customer: { name: 'customer', label: label('Customer'), fields: [field('title', 'string')] as never },
  party: {
    name: 'party',
    label: label('Party'),
    abstract: true,
    fields: [field('code', 'string'), field('phone', 'string')] as never,
  },
  contact: {
    name: 'contact',
    label: label('Contact'),
    abstract: true,
    extends: 'party',
    fields: [field('email', 'string')] as never,
  },
  sales_order: { name: 'sales_order', label: label('Order'), fields: [field('note', 'text')] as never },
  order_line: {
    name: 'order_line',
    label: label('Line'),
    childOf: 'sales_order',
    fields: [field('qty', 'quantity')] as never,
  },
};

const ctx = (extra: Partial<NormalizeContext> = {}): NormalizeContext => ({
  lookup: (n) => existing[n],
  takenNames: new Set(Object.keys(existing)),
  ...extra,
});

/** An entity named `x` with the given fields. */
const entity = (fields: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'x',
  label: label('X'),
  fields,
  ...extra,
});

function refusal(input: unknown, context = ctx()): FieldError[] {
  try {
    normalizeEntity(input, context);
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    assert.equal(err.code, 'META_DEFINITION_INVALID');
    assert.equal(err.status, 422);
    for (const d of err.details) assert.ok(d.message.length > 0, `empty message at ${d.field}`);
    return err.details;
  }
  assert.fail('the definition was accepted');
}

const opts = (...values: string[]) => values.map((value) => ({ value, label: label(value) }));
const seq = (pattern: string, reset?: string) => ({ sequence: { pattern, ...(reset ? { reset } : {}) } });

/** One field `a` of `kind`: refused with `code` at `fields.0.<sub>`. */
const fieldCases: [
  kind: string,
  extra: Record<string, unknown>,
  sub: string,
  code: string,
  message?: RegExp,
][] = [
  ['money_bag', {}, 'kind', 'invalid_kind', /kind must be one of/],
  ['string', { label: undefined }, 'label', 'label_required'],
  ['string', { name: 'full name' }, 'name', 'invalid_identifier'],
  ['string', { name: '1st' }, 'name', 'invalid_identifier'],
  ['string', { name: '_a' }, 'name', 'invalid_identifier'],
  ['string', { name: 'a'.repeat(64) }, 'name', 'invalid_identifier'],
  ['string', { name: 'id' }, 'name', 'reserved', /system column/],
  ['integer', { name: 'version' }, 'name', 'reserved'],
  ['string', { name: 'created_by' }, 'name', 'reserved'],
  ['string', { name: 'parent_id' }, 'name', 'reserved'],
  ['integer', { name: 'line_no' }, 'name', 'reserved'],
  ['decimal', { precision: 0, scale: 0 }, 'precision', 'invalid'],
  ['decimal', { precision: 39 }, 'precision', 'invalid', /1\.\.38/],
  ['decimal', { precision: 2.5 }, 'precision', 'invalid'],
  ['decimal', { precision: 4, scale: 5 }, 'scale', 'invalid'],
  ['decimal', { scale: -1 }, 'scale', 'invalid'],
  ['select', {}, 'options', 'required'],
  ['select', { options: [] }, 'options', 'required'],
  ['select', { options: opts('A', 'A') }, 'options.1.value', 'duplicate', /duplicate option A/],
  ['select', { options: opts('') }, 'options.0.value', 'invalid'],
  ['select', { options: [{ value: 'A' }] }, 'options.0.label', 'label_required'],
  ['link', { target: 'nope' }, 'target', 'unknown_entity', /unknown target entity nope/],
  ['link', {}, 'target', 'unknown_entity'],
  ['link', { target: 'party' }, 'target', 'abstract'],
  ['link', { target: 'order_line' }, 'target', 'child_entity'],
  ['multi_link', { target: 'order_line' }, 'target', 'child_entity'],
  ['multi_link', { target: 'nope' }, 'target', 'unknown_entity'],
  ['link', { target: 'customer', onDelete: 'nullify' }, 'onDelete', 'invalid'],
  ['children', { target: 'customer' }, 'target', 'not_child', /childOf: x/],
  ['children', { target: 'order_line' }, 'target', 'not_child'],
  ['multi_link', { target: 'customer', unique: true }, 'unique', 'invalid'],
  ['formula', {}, 'expression', 'required'],
  ['formula', { expression: 'zz + 1' }, 'expression', 'invalid_expression', /Unknown variable 'zz'/],
  ['formula', { expression: '1 +' }, 'expression', 'invalid_expression', /Unexpected token/],
  ['formula', { expression: '1', resultKind: 'float' }, 'resultKind', 'invalid'],
  ['sequence', {}, 'sequence', 'required'],
  ['sequence', seq('A-{SEQ:0}'), 'sequence.pattern', 'invalid', /width from 1 to 12/],
  ['sequence', seq('A-{FOO}-{SEQ:3}'), 'sequence.pattern', 'invalid', /unknown token \{FOO\}/],
  ['sequence', seq('WO-{field:line}-{SEQ:3}'), 'sequence.pattern', 'unknown_field', /unknown field line/],
  ['sequence', seq('A-{SEQ:3}', 'hourly'), 'sequence.reset', 'invalid'],
  ['money', { currencyField: 'cur' }, 'currencyField', 'invalid'],
  ['money', { currency: 'yuan' }, 'currency', 'invalid'],
  ['integer', { min: '1' }, 'min', 'invalid'],
  ['integer', { max: 1.5 }, 'max', 'invalid'],
  ['decimal', { min: 0 }, 'min', 'invalid', /decimals as strings/],
  ['money', { max: '1e5' }, 'max', 'invalid'],
  ['date', { min: '2025-13-01' }, 'min', 'invalid'],
  ['string', { min: 1 }, 'min', 'invalid'],
  ['string', { pattern: '([a-z' }, 'pattern', 'invalid', /regular expression/],
  ['string', { maxLength: 0 }, 'maxLength', 'invalid'],
  ['string', { minLength: -1 }, 'minLength', 'invalid'],
  ['string', { required: 'yes' }, 'required', 'invalid'],
  ['string', { length: 5 }, 'length', 'unknown_property'],
  ['integer', { default: 'abc' }, 'default', 'invalid', /does not fit a integer field/],
  ['boolean', { default: 'true' }, 'default', 'invalid'],
  ['string', { maxLength: 3, default: 'abcd' }, 'default', 'invalid'],
  ['decimal', { precision: 6, scale: 2, default: '1.234' }, 'default', 'invalid'],
  ['decimal', { precision: 4, scale: 2, default: '123' }, 'default', 'invalid'],
  ['money', { default: 5 }, 'default', 'invalid'],
  ['select', { options: opts('A'), default: 'Z' }, 'default', 'invalid'],
  ['date', { default: '$now' }, 'default', 'invalid'],
  ['datetime', { default: '2025-01-07T10:00:00' }, 'default', 'invalid'],
  ['integer', { default: '$user' }, 'default', 'invalid'],
  ['link', { target: 'customer', default: 'c1' }, 'default', 'invalid'],
  ['sequence', { ...seq('{SEQ:3}'), default: 'X' }, 'default', 'invalid'],
];

/** Several fields, refused with `code` at `path`. */
const multiFieldCases: [title: string, fields: unknown[], path: string, code: string, message?: RegExp][] = [
  ['duplicate names', [field('a', 'string'), field('a', 'integer')], 'fields.1.name', 'duplicate', /name a/],
  [
    'formula reading a later field',
    [field('f', 'formula', { expression: 'n * 2' }), field('n', 'integer')],
    'fields.0.expression',
    'invalid_expression',
    /Unknown variable 'n'/,
  ],
  [
    'formula type error',
    [field('s', 'string'), field('f', 'formula', { expression: 's + 1' })],
    'fields.1.expression',
    'invalid_expression',
    /string \+ int/,
  ],
  [
    'currencyField naming an integer',
    [field('c', 'integer'), field('m', 'money', { currencyField: 'c' })],
    'fields.1.currencyField',
    'invalid',
    /string or select/,
  ],
  [
    'uomField naming a decimal',
    [field('u', 'decimal'), field('q', 'quantity', { uomField: 'u' })],
    'fields.1.uomField',
    'invalid',
  ],
];

/** Entity-level problems of `x` (one valid string field `a`, plus `extra`). */
const entityCases: [
  title: string,
  extra: Record<string, unknown>,
  path: string,
  code: string,
  message?: RegExp,
][] = [
  ['missing label', { label: undefined }, 'label', 'label_required'],
  ['blank label', { label: { en: '  ' } }, 'label', 'label_required'],
  ['label in an unknown locale', { label: { fr: 'X' } }, 'label', 'label_required'],
  ['name with capitals', { name: 'Patient' }, 'name', 'invalid_identifier'],
  ['name with a dash', { name: 'stock-move' }, 'name', 'invalid_identifier'],
  ['name starting with _', { name: '_meta' }, 'name', 'invalid_identifier'],
  ['name over 48 characters', { name: 'a'.repeat(49) }, 'name', 'invalid_identifier'],
  ['name not a string', { name: 42 }, 'name', 'invalid'],
  ['no fields', { fields: [] }, 'fields', 'required', /at least one field/],
  ['fields not an array', { fields: {} }, 'fields', 'required'],
  ['a field that is not an object', { fields: ['a'] }, 'fields.0', 'invalid'],
  ['unique over an unknown field', { unique: [['a', 'b']] }, 'unique.0', 'unknown_field'],
  ['unique as an empty list', { unique: [[]] }, 'unique.0', 'unknown_field'],
  ['unique not a list', { unique: 'a' }, 'unique', 'invalid'],
  ['index over an unknown field', { indexes: [{ fields: ['zz'] }] }, 'indexes.0.fields', 'unknown_field'],
  ['titleField naming no field', { titleField: 'b' }, 'titleField', 'unknown_field'],
  [
    'action with a bad name',
    { actions: [{ name: 'Go!', label: label('Go') }] },
    'actions.0.name',
    'invalid_identifier',
  ],
  [
    'document with a bad name',
    { documents: [{ name: 'Print!', label: label('Print'), path: '/api/v1/x/{id}/a.pdf' }] },
    'documents.0.name',
    'invalid_identifier',
  ],
  [
    'document leaving the API',
    { documents: [{ name: 'print', label: label('Print'), path: 'https://evil.example/{id}' }] },
    'documents.0.path',
    'invalid',
  ],
  [
    'document path without the record id',
    { documents: [{ name: 'print', label: label('Print'), path: '/api/v1/x/a.pdf' }] },
    'documents.0.path',
    'invalid',
  ],
  [
    'document path climbing out',
    { documents: [{ name: 'print', label: label('Print'), path: '/api/v1/../{id}/a.pdf' }] },
    'documents.0.path',
    'invalid',
  ],
  [
    'document without a label',
    { documents: [{ name: 'print', path: '/api/v1/x/{id}.pdf' }] },
    'documents.0.label',
    'required',
  ],
  ['documents not a list', { documents: {} }, 'documents', 'invalid'],
  ['unknown property', { colour: 'red' }, 'colour', 'unknown_property', /unknown property colour/],
  ['extends an unknown entity', { extends: 'nope' }, 'extends', 'unknown_entity'],
  ['extends a concrete entity', { extends: 'customer' }, 'extends', 'not_abstract', /not an abstract entity/],
  ['an abstract line entity', { abstract: true, childOf: 'sales_order' }, 'childOf', 'invalid'],
  ['a line of an unknown entity', { childOf: 'nope' }, 'childOf', 'unknown_entity', /unknown entity nope/],
];

function expectAt(details: FieldError[], path: string, code: string, message?: RegExp): void {
  const hit = details.find((d) => d.field === path && d.code === code);
  assert.ok(hit, `expected ${code} at ${path}, got ${JSON.stringify(details)}`);
  if (message) assert.match(hit.message, message);
}

describe('normalizeEntity refuses bad definitions at the right path', () => {
  for (const [kind, extra, sub, code, message] of fieldCases) {
    it(`${kind} field ${JSON.stringify(extra)}: ${code} at ${sub}`, () => {
      const input = entity([{ name: 'a', label: label('A'), kind, ...extra }]);
      expectAt(refusal(input), `fields.0.${sub}`, code, message);
    });
  }
  for (const [title, fields, path, code, message] of multiFieldCases) {
    it(title, () => expectAt(refusal(entity(fields)), path, code, message));
  }
  for (const [title, extra, path, code, message] of entityCases) {
    it(`entity: ${title}`, () =>
      expectAt(refusal(entity([field('a', 'string')], extra)), path, code, message));
  }

  it('refuses redefining an inherited field, from one or two levels up', () => {
    expectAt(refusal(entity([field('phone', 'string')], { extends: 'party' })), 'fields.0.name', 'duplicate');
    expectAt(
      refusal(entity([field('code', 'integer')], { extends: 'contact' })),
      'fields.0.name',
      'duplicate',
    );
  });

  it('refuses children on an entity that is not the declared parent, and required children', () => {
    const lines = (extra: Record<string, unknown>) =>
      field('lines', 'children', { target: 'order_line', ...extra });
    expectAt(refusal(entity([lines({})], { name: 'invoice' })), 'fields.0.target', 'not_child');
    expectAt(
      refusal(entity([lines({ required: true })], { name: 'sales_order' })),
      'fields.0.required',
      'invalid',
    );
  });

  it('lists every problem at once, not just the first', () => {
    const details = refusal({
      name: 'Bad',
      fields: [field('id', 'string'), field('a', 'decimal', { precision: 40 }), field('b', 'nope')],
    });
    assert.deepEqual(details.map((d) => `${d.field}:${d.code}`).sort(), [
      'fields.0.name:reserved',
      'fields.1.precision:invalid',
      'fields.2.kind:invalid_kind',
      'label:label_required',
      'name:invalid_identifier',
    ]);
  });

  it('refuses a definition that is not an object', () => {
    for (const input of [null, 'x', [entity([field('a', 'string')])]]) {
      assert.deepEqual(
        refusal(input).map((d) => d.field),
        [''],
      );
    }
  });
});

describe('normalizeEntity accepts good definitions', () => {
  const fieldsAccepted: [kind: string, extra: Record<string, unknown>][] = [
    ['decimal', { precision: 38, scale: 38 }],
    ['link', { name: 'parent', target: 'x', onDelete: 'set_null' }],
    ['sequence', seq('SUP-{SEQ:5}', 'yearly')],
    ['integer', { min: 0, max: 9, default: 3 }],
    ['decimal', { precision: 6, scale: 2, min: '-1.5', default: '-9999.99' }],
    ['date', { max: '2030-12-31', default: '$today' }],
    ['date', { default: '2025-01-07' }],
    ['datetime', { default: '$now' }],
    ['string', { maxLength: 3, default: '患者好' }],
    ['string', { default: '$user' }],
    ['money', { default: '0' }],
    ['time', { default: '09:30' }],
    ['boolean', { default: false }],
    ['select', { options: opts('A', 'B'), default: 'B' }],
    ['json', { default: { a: [1] } }],
    ['integer', { default: null }],
  ];
  for (const [kind, extra] of fieldsAccepted) {
    it(`${kind} field ${JSON.stringify(extra)}`, () =>
      assert.doesNotThrow(() =>
        normalizeEntity(entity([{ name: 'a', label: label('A'), kind, ...extra }]), ctx()),
      ));
  }

  it('accepts fields that refer to each other, and children of a declared line entity', () => {
    const fields = [
      field('cur', 'select', { options: opts('CNY') }),
      field('price', 'money', { currencyField: 'cur' }),
      field('qty', 'quantity', { uomField: 'cur' }),
      field('total', 'formula', { expression: 'qty * price', resultKind: 'decimal' }),
      field('no', 'sequence', seq('WO-{field:cur}-{SEQ:3}')),
      field('lines', 'children', { target: 'order_line' }),
    ];
    const def = normalizeEntity(entity(fields, { name: 'sales_order', titleField: 'no' }), ctx());
    assert.deepEqual(def.fields, fields);
  });

  it('keeps printable documents served under the API', () => {
    const documents = [
      { name: 'route_sheet', label: label('Route sheet'), path: '/api/v1/wms/milk_run/{id}/route-sheet.pdf' },
    ];
    const def = normalizeEntity(entity([field('a', 'string')], { documents }), ctx());
    assert.deepEqual(def.documents, documents);
  });
});
