/**
 * Turns what a user (or a module) sends into a valid, normalised entity definition, or refuses it
 * with every problem listed at its path. Names left out are derived from the labels (pinyin for
 * Chinese), and stay stable across edits.
 */
import {
  AppError,
  decimalShape,
  type FieldError,
  isBusinessDate,
  isDecimalText,
  isInstant,
  isTimeOfDay,
  isUuid,
  type Label,
} from '@tenon/core';
import { columnTypeOf } from './ddl/physical.ts';
import { MetaErrors } from './errors.ts';
import { exprVariablesOf } from './expr-types.ts';
import { createExprEnv } from './expressions/cel.ts';
import { identifierFromLabel, isIdentifier, uniqueIdentifier } from './naming.ts';
import type { DefinitionLookup } from './resolve.ts';
import { resolveEntity } from './resolve.ts';
import { parseSequencePattern } from './sequence-pattern.ts';
import {
  CHILD_COLUMNS,
  type EntityDef,
  FIELD_KINDS,
  type FieldDef,
  type FieldInput,
  SYSTEM_COLUMNS,
} from './types.ts';

export type NormalizeContext = {
  /** Other definitions of the tenant (after this change), for links, children and inheritance. */
  lookup: DefinitionLookup;
  /** Entity names already used by other entities (for deriving a unique name). */
  takenNames: ReadonlySet<string>;
  /** The stored definition when this is an edit: keeps names stable. */
  previous?: EntityDef;
};

const MAX_ENTITY_NAME = 48;
const RESERVED = new Set<string>([...SYSTEM_COLUMNS, ...CHILD_COLUMNS]);
const ENTITY_KEYS = new Set([
  'name',
  'label',
  'description',
  'abstract',
  'extends',
  'childOf',
  'fields',
  'unique',
  'indexes',
  'titleField',
  'actions',
  'module',
]);
const FIELD_KEYS = new Set([
  'name',
  'label',
  'description',
  'kind',
  'required',
  'unique',
  'index',
  'default',
  'min',
  'max',
  'minLength',
  'maxLength',
  'pattern',
  'precision',
  'scale',
  'currency',
  'currencyField',
  'uomField',
  'options',
  'target',
  'onDelete',
  'expression',
  'resultKind',
  'sequence',
  'readOnly',
  'hidden',
  'actionOwned',
  'renamedFrom',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function labelTextOf(label: unknown): string | undefined {
  if (!isObject(label)) return undefined;
  const en = typeof label.en === 'string' ? label.en.trim() : '';
  const zh = typeof label['zh-CN'] === 'string' ? label['zh-CN'].trim() : '';
  return en || zh || undefined;
}

function checkLabel(label: unknown, path: string, errors: FieldError[]): label is Label {
  if (!isObject(label) || !labelTextOf(label)) {
    errors.push({ field: path, code: 'label_required', message: 'a label in zh-CN or en is required' });
    return false;
  }
  for (const [k, v] of Object.entries(label)) {
    if ((k !== 'zh-CN' && k !== 'en') || typeof v !== 'string') {
      errors.push({
        field: `${path}.${k}`,
        code: 'invalid',
        message: 'labels are strings keyed zh-CN or en',
      });
    }
  }
  return true;
}

/** Normalises and validates one entity definition; throws META_DEFINITION_INVALID with details. */
export function normalizeEntity(input: unknown, ctx: NormalizeContext): EntityDef {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    throw new AppError(MetaErrors.META_DEFINITION_INVALID, { entity: '?' }, [
      { field: '', code: 'invalid', message: 'the definition must be a JSON object' },
    ]);
  }
  for (const key of Object.keys(input)) {
    if (!ENTITY_KEYS.has(key))
      errors.push({ field: key, code: 'unknown_property', message: `unknown property ${key}` });
  }
  checkLabel(input.label, 'label', errors);

  let name = typeof input.name === 'string' ? input.name : undefined;
  if (input.name !== undefined && typeof input.name !== 'string') {
    errors.push({ field: 'name', code: 'invalid', message: 'name must be a string' });
  }
  if (!name) name = ctx.previous?.name;
  if (!name) {
    const base = identifierFromLabel(labelTextOf(input.label) ?? 'entity', {
      fallbackPrefix: 'e',
      maxLength: MAX_ENTITY_NAME,
    });
    name = uniqueIdentifier(base, ctx.takenNames, MAX_ENTITY_NAME);
  }
  if (!isIdentifier(name) || name.length > MAX_ENTITY_NAME || name.startsWith('_')) {
    errors.push({
      field: 'name',
      code: 'invalid_identifier',
      message: `name must be snake_case: a lowercase letter, then letters, digits or _, at most ${MAX_ENTITY_NAME} characters`,
    });
  }

  if (!Array.isArray(input.fields)) {
    errors.push({ field: 'fields', code: 'required', message: 'fields must be an array' });
  }
  const rawFields: unknown[] = Array.isArray(input.fields) ? input.fields : [];
  const def: EntityDef = {
    name,
    label: (input.label ?? {}) as Label,
    fields: [],
  };
  for (const key of ['description', 'extends', 'childOf', 'titleField', 'module'] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== 'string')
      errors.push({ field: key, code: 'invalid', message: `${key} must be a string` });
    else def[key] = input[key] as string;
  }
  if (input.abstract !== undefined) def.abstract = input.abstract === true;

  if (def.childOf && !ctx.lookup(def.childOf)) {
    errors.push({ field: 'childOf', code: 'unknown_entity', message: `unknown entity ${def.childOf}` });
  }
  // Inherited fields take their names first.
  let inherited: FieldDef[] = [];
  if (def.extends) {
    const base = ctx.lookup(def.extends);
    if (!base)
      errors.push({
        field: 'extends',
        code: 'unknown_entity',
        message: `unknown base entity ${def.extends}`,
      });
    else if (!base.abstract) {
      errors.push({
        field: 'extends',
        code: 'not_abstract',
        message: `${def.extends} is not an abstract entity`,
      });
    } else {
      try {
        inherited = resolveEntity(base, ctx.lookup).fields;
      } catch (err) {
        errors.push({ field: 'extends', code: 'invalid', message: (err as Error).message });
      }
    }
  }
  const taken = new Set<string>([...RESERVED, ...inherited.map((f) => f.name)]);
  const previousFields = ctx.previous?.fields ?? [];
  rawFields.forEach((raw, i) => {
    const field = normalizeFieldShape(raw, `fields.${i}`, errors);
    if (!field) return;
    let fname = field.name;
    if (!fname) {
      const sameLabel = previousFields.find(
        (p) =>
          (field.label['zh-CN'] && p.label['zh-CN'] === field.label['zh-CN']) ||
          (field.label.en && p.label.en === field.label.en),
      );
      fname =
        sameLabel && !taken.has(sameLabel.name)
          ? sameLabel.name
          : uniqueIdentifier(
              identifierFromLabel(labelTextOf(field.label) ?? 'field', { fallbackPrefix: 'f' }),
              taken,
            );
    }
    if (!isIdentifier(fname) || fname.startsWith('_')) {
      errors.push({
        field: `fields.${i}.name`,
        code: 'invalid_identifier',
        message: 'field names must be snake_case',
      });
    } else if (taken.has(fname)) {
      errors.push({
        field: `fields.${i}.name`,
        code: RESERVED.has(fname) ? 'reserved' : 'duplicate',
        message: RESERVED.has(fname) ? `${fname} is a system column name` : `duplicate field name ${fname}`,
      });
    }
    taken.add(fname);
    def.fields.push({ ...field, name: fname } as FieldDef);
  });

  if (input.unique !== undefined) def.unique = input.unique as string[][];
  if (input.indexes !== undefined) def.indexes = input.indexes as EntityDef['indexes'];
  if (input.actions !== undefined) def.actions = input.actions as EntityDef['actions'];

  const all = [...inherited, ...def.fields];
  for (const [i, f] of def.fields.entries()) checkField(f, `fields.${i}`, { def, all, ctx, errors });
  checkEntityConstraints(def, all, errors);

  if (errors.length > 0) throw new AppError(MetaErrors.META_DEFINITION_INVALID, { entity: name }, errors);
  return def;
}

function normalizeFieldShape(raw: unknown, path: string, errors: FieldError[]): FieldInput | null {
  if (!isObject(raw)) {
    errors.push({ field: path, code: 'invalid', message: 'a field must be an object' });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!FIELD_KEYS.has(key)) {
      errors.push({ field: `${path}.${key}`, code: 'unknown_property', message: `unknown property ${key}` });
    }
  }
  checkLabel(raw.label, `${path}.label`, errors);
  if (!FIELD_KINDS.includes(raw.kind as never)) {
    errors.push({
      field: `${path}.kind`,
      code: 'invalid_kind',
      message: `kind must be one of ${FIELD_KINDS.join(', ')}`,
    });
    return null;
  }
  if (raw.name !== undefined && typeof raw.name !== 'string') {
    errors.push({ field: `${path}.name`, code: 'invalid', message: 'name must be a string' });
    return null;
  }
  return raw as FieldInput;
}

type CheckCtx = { def: EntityDef; all: FieldDef[]; ctx: NormalizeContext; errors: FieldError[] };

const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

function checkField(f: FieldDef, path: string, { def, all, ctx, errors }: CheckCtx): void {
  const bad = (sub: string, code: string, message: string) =>
    errors.push({ field: sub ? `${path}.${sub}` : path, code, message });
  for (const flag of ['required', 'unique', 'index', 'readOnly', 'hidden', 'actionOwned'] as const) {
    if (f[flag] !== undefined && typeof f[flag] !== 'boolean')
      bad(flag, 'invalid', `${flag} must be true or false`);
  }
  const noColumn = f.kind === 'children' || f.kind === 'multi_link';
  if (noColumn && (f.unique || f.index))
    bad('unique', 'invalid', `${f.kind} fields cannot be unique or indexed`);
  if (f.minLength !== undefined && (!int(f.minLength) || f.minLength < 0))
    bad('minLength', 'invalid', 'minLength must be a non-negative integer');
  if (f.maxLength !== undefined && (!int(f.maxLength) || f.maxLength < 1 || f.maxLength > 10_000_000)) {
    bad('maxLength', 'invalid', 'maxLength must be an integer from 1 to 10000000');
  }
  if (f.pattern !== undefined) {
    try {
      new RegExp(f.pattern, 'u');
    } catch {
      bad('pattern', 'invalid', 'pattern is not a valid regular expression');
    }
  }
  const fieldNamed = (name: string | undefined) => all.find((x) => x.name === name);
  switch (f.kind) {
    case 'decimal': {
      const p = f.precision ?? 18;
      const s = f.scale ?? 6;
      if (!int(p) || p < 1 || p > 38) bad('precision', 'invalid', 'precision must be 1..38');
      if (!int(s) || s < 0 || s > p) bad('scale', 'invalid', 'scale must be 0..precision');
      break;
    }
    case 'money':
      if (f.currency !== undefined && !/^[A-Z]{3}$/.test(f.currency))
        bad('currency', 'invalid', 'currency must be an ISO 4217 code like CNY');
      if (f.currencyField !== undefined) {
        const cf = fieldNamed(f.currencyField);
        if (!cf || !['string', 'select'].includes(cf.kind)) {
          bad('currencyField', 'invalid', `currencyField must name a string or select field of ${def.name}`);
        }
      }
      break;
    case 'quantity':
      if (f.uomField !== undefined) {
        const uf = fieldNamed(f.uomField);
        if (!uf || !['string', 'select', 'link'].includes(uf.kind)) {
          bad('uomField', 'invalid', `uomField must name a string, select or link field of ${def.name}`);
        }
      }
      break;
    case 'select': {
      const opts = f.options;
      if (!Array.isArray(opts) || opts.length === 0) {
        bad('options', 'required', 'a select field needs options');
        break;
      }
      const values = new Set<string>();
      opts.forEach((o, i) => {
        if (!isObject(o) || typeof o.value !== 'string' || o.value === '')
          bad(`options.${i}.value`, 'invalid', 'option values are non-empty strings');
        else if (values.has(o.value)) bad(`options.${i}.value`, 'duplicate', `duplicate option ${o.value}`);
        else values.add(o.value);
        if (isObject(o)) checkLabel(o.label, `${path}.options.${i}.label`, errors);
      });
      break;
    }
    case 'link':
    case 'multi_link':
    case 'children': {
      const target = f.target === def.name ? def : f.target ? ctx.lookup(f.target) : undefined;
      if (!target) bad('target', 'unknown_entity', `unknown target entity ${f.target ?? '(missing)'}`);
      else if (target.abstract) bad('target', 'abstract', `${f.target} is abstract`);
      else if (f.kind === 'children' && target.childOf !== def.name) {
        bad('target', 'not_child', `${f.target} must be declared with childOf: ${def.name}`);
      } else if (f.kind !== 'children' && target.childOf) {
        bad('target', 'child_entity', `${f.target} is a line entity and cannot be linked directly`);
      }
      if (f.onDelete !== undefined && !['restrict', 'cascade', 'set_null'].includes(f.onDelete)) {
        bad('onDelete', 'invalid', 'onDelete must be restrict, cascade or set_null');
      }
      if (f.kind === 'children' && f.required)
        bad('required', 'invalid', 'children fields cannot be required');
      break;
    }
    case 'formula': {
      if (typeof f.expression !== 'string' || !f.expression.trim()) {
        bad('expression', 'required', 'a formula needs a CEL expression');
        break;
      }
      if (f.resultKind && !['string', 'decimal', 'integer', 'boolean', 'date'].includes(f.resultKind)) {
        bad('resultKind', 'invalid', 'resultKind must be string, decimal, integer, boolean or date');
      }
      const before = all
        .slice(0, all.indexOf(f))
        .filter((x) => x.kind !== 'children' && x.kind !== 'multi_link');
      const result = createExprEnv(exprVariablesOf(before)).check(f.expression);
      if (!result.valid) bad('expression', 'invalid_expression', result.error);
      break;
    }
    case 'sequence': {
      if (!isObject(f.sequence) || typeof f.sequence.pattern !== 'string') {
        bad('sequence', 'required', 'a sequence field needs sequence.pattern');
        break;
      }
      try {
        const parsed = parseSequencePattern(f.sequence.pattern);
        for (const ref of parsed.fieldRefs) {
          if (!fieldNamed(ref))
            bad('sequence.pattern', 'unknown_field', `the pattern refers to unknown field ${ref}`);
        }
      } catch (err) {
        bad('sequence.pattern', 'invalid', (err as Error).message);
      }
      if (f.sequence.reset && !['never', 'yearly', 'monthly', 'daily'].includes(f.sequence.reset)) {
        bad('sequence.reset', 'invalid', 'reset must be never, yearly, monthly or daily');
      }
      break;
    }
    default:
      break;
  }
  checkBounds(f, bad);
  if (f.default !== undefined && f.default !== null && !defaultFits(f)) {
    bad('default', 'invalid', `the default value does not fit a ${f.kind} field`);
  }
}

const DYNAMIC_DEFAULTS: Record<string, string[]> = {
  $today: ['date'],
  $now: ['datetime'],
  $user: ['string', 'text'],
};
const VALUE_CHECKS: Partial<Record<string, (v: unknown) => boolean>> = {
  integer: Number.isSafeInteger,
  boolean: (v) => typeof v === 'boolean',
  json: () => true,
  date: isBusinessDate,
  datetime: isInstant,
  time: isTimeOfDay,
  link: isUuid,
  attachment: isUuid,
};

/** A default is stored as the field's value when a record leaves it out: it must be a valid value. */
function defaultFits(f: FieldDef): boolean {
  const v = f.default;
  if (typeof v === 'string' && v in DYNAMIC_DEFAULTS) return DYNAMIC_DEFAULTS[v]!.includes(f.kind);
  const type = columnTypeOf(f);
  if (type?.base === 'numeric' && f.kind !== 'formula') {
    const shape = isDecimalText(v) ? decimalShape(v) : null;
    return shape !== null && shape.scale <= type.scale && shape.integerDigits <= type.precision - type.scale;
  }
  if (f.kind === 'string' || f.kind === 'text') {
    const limit = type?.base === 'varchar' ? type.length : Number.POSITIVE_INFINITY;
    return typeof v === 'string' && !v.includes('\u0000') && [...v].length <= limit;
  }
  if (f.kind === 'select') return (f.options ?? []).some((o) => isObject(o) && o.value === v);
  // children, multi_link, formula and sequence values are never defaulted
  return VALUE_CHECKS[f.kind]?.(v) ?? false;
}

function checkBounds(f: FieldDef, bad: (sub: string, code: string, message: string) => void): void {
  const decimalKinds = ['decimal', 'money', 'quantity'];
  for (const key of ['min', 'max'] as const) {
    const v = f[key];
    if (v === undefined) continue;
    const ok =
      f.kind === 'integer'
        ? int(v)
        : decimalKinds.includes(f.kind)
          ? isDecimalText(v)
          : f.kind === 'date'
            ? isBusinessDate(v)
            : false;
    if (!ok)
      bad(key, 'invalid', `${key} does not fit a ${f.kind} field (decimals as strings, dates as YYYY-MM-DD)`);
  }
}

function checkEntityConstraints(def: EntityDef, all: FieldDef[], errors: FieldError[]): void {
  const columnFields = new Set(
    all.filter((f) => f.kind !== 'children' && f.kind !== 'multi_link').map((f) => f.name),
  );
  const checkList = (path: string, fields: unknown) => {
    if (!Array.isArray(fields) || fields.length === 0 || fields.some((n) => !columnFields.has(n as string))) {
      errors.push({ field: path, code: 'unknown_field', message: 'constraints list existing column fields' });
    }
  };
  if (def.unique !== undefined) {
    if (!Array.isArray(def.unique))
      errors.push({ field: 'unique', code: 'invalid', message: 'unique is a list of field lists' });
    else for (const [i, u] of def.unique.entries()) checkList(`unique.${i}`, u);
  }
  if (def.indexes !== undefined) {
    if (!Array.isArray(def.indexes))
      errors.push({ field: 'indexes', code: 'invalid', message: 'indexes is a list' });
    else
      for (const [i, ix] of def.indexes.entries())
        checkList(`indexes.${i}.fields`, isObject(ix) ? ix.fields : undefined);
  }
  if (def.titleField !== undefined && !columnFields.has(def.titleField)) {
    errors.push({ field: 'titleField', code: 'unknown_field', message: `unknown field ${def.titleField}` });
  }
  // A line entity's parent may arrive in the same batch: it is checked through the parent's children field.
  if (def.childOf !== undefined && def.abstract) {
    errors.push({ field: 'childOf', code: 'invalid', message: 'a line entity cannot be abstract' });
  }
  if (!def.abstract && all.length === 0) {
    errors.push({ field: 'fields', code: 'required', message: 'an entity needs at least one field' });
  }
  if (def.actions !== undefined) {
    if (!Array.isArray(def.actions))
      errors.push({ field: 'actions', code: 'invalid', message: 'actions is a list' });
    else
      def.actions.forEach((a, i) => {
        if (!isObject(a) || typeof a.name !== 'string' || !isIdentifier(a.name)) {
          errors.push({
            field: `actions.${i}.name`,
            code: 'invalid_identifier',
            message: 'action names are snake_case',
          });
        }
      });
  }
}
