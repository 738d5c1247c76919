/** Checks of one field of an entity definition (kind-specific rules, bounds, defaults, formulas, numbering). */
import {
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
import { exprVariablesOf } from './expr-types.ts';
import { createExprEnv, ExprError } from './expressions/cel.ts';
import type { DefinitionLookup } from './resolve.ts';
import { jsonSchemaProblem } from './schema/validate-record.ts';
import { parseSequencePattern } from './sequence-pattern.ts';
import type { EntityDef, FieldDef } from './types.ts';

export type NormalizeContext = {
  /** Other definitions of the tenant (after this change), for links, children and inheritance. */
  lookup: DefinitionLookup;
  /** Entity names already used by other entities (for deriving a unique name). */
  takenNames: ReadonlySet<string>;
  /** The stored definition when this is an edit: keeps names stable. */
  previous?: EntityDef;
};

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function labelTextOf(label: unknown): string | undefined {
  if (!isObject(label)) return undefined;
  const en = typeof label.en === 'string' ? label.en.trim() : '';
  const zh = typeof label['zh-CN'] === 'string' ? label['zh-CN'].trim() : '';
  return en || zh || undefined;
}

export function checkLabel(label: unknown, path: string, errors: FieldError[]): label is Label {
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
function checkFormula(
  before: FieldDef[],
  expression: string,
): { valid: true } | { valid: false; error: string } {
  try {
    return createExprEnv(exprVariablesOf(before)).check(expression);
  } catch (err) {
    if (err instanceof ExprError) return { valid: false, error: err.message };
    throw err;
  }
}

export type CheckCtx = { def: EntityDef; all: FieldDef[]; ctx: NormalizeContext; errors: FieldError[] };

const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

export function checkField(f: FieldDef, path: string, { def, all, ctx, errors }: CheckCtx): void {
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
      const result = checkFormula(before, f.expression);
      if (!result.valid) bad('expression', 'invalid_expression', result.error);
      break;
    }
    case 'json': {
      const problem = f.jsonSchema === undefined ? null : jsonSchemaProblem(f.jsonSchema);
      if (problem) bad('jsonSchema', 'invalid', `jsonSchema ${problem}`);
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
