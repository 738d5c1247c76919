/**
 * Record validation: the generated JSON Schema (compiled once per entity version with Ajv), then
 * the checks JSON Schema cannot express exactly: decimal precision and bounds, currency scale.
 */
import {
  currencyScale,
  Decimal,
  decimalShape,
  type FieldError,
  isBusinessDate,
  isInstant,
  isTimeOfDay,
  isUuid,
  type Locale,
  parseDecimal,
} from '@tenon/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { unsafePattern } from '../expressions/sandbox.ts';
import type { EntityDef, FieldDef } from '../types.ts';
import { type EntityLookup, isWritable, recordSchema } from './json-schema.ts';

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
ajv.addFormat('date', { type: 'string', validate: (s: string) => isBusinessDate(s) });
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => isInstant(s) });
ajv.addFormat('time', { type: 'string', validate: (s: string) => isTimeOfDay(s) });
ajv.addFormat('uuid', { type: 'string', validate: (s: string) => isUuid(s) });

/** Why a json field's JSON Schema cannot be used (null: it compiles). */
export function jsonSchemaProblem(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'must be an object';
  if (JSON.stringify(schema).length > MAX_JSON_SCHEMA_CHARS) {
    return `must be at most ${MAX_JSON_SCHEMA_CHARS} characters of JSON`;
  }
  if ('$id' in schema || '$ref' in schema || '$schema' in schema) return 'must not use $id, $ref or $schema';
  const risky = patternsOf(schema)
    .map((p) => unsafePattern(p))
    .find((why) => why !== null);
  if (risky) return `has a pattern that is not allowed: ${risky}`;
  try {
    ajv.compile(schema);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const MAX_JSON_SCHEMA_CHARS = 20_000;

/** Every regular expression of a schema (`pattern` values, `patternProperties` keys), at any depth. */
function patternsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) patternsOf(item, out);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'pattern' && typeof value === 'string') out.push(value);
      if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
        out.push(...Object.keys(value));
      }
      patternsOf(value, out);
    }
  }
  return out;
}

type Messages = Record<string, { 'zh-CN': string; en: string }>;

const MESSAGES: Messages = {
  required: { 'zh-CN': '必填', en: 'is required' },
  unknown_field: { 'zh-CN': '未知字段', en: 'is not a field of this entity' },
  read_only: { 'zh-CN': '只读字段，不能修改', en: 'is read-only' },
  type: { 'zh-CN': '类型应为 {type}', en: 'must be of type {type}' },
  decimal: { 'zh-CN': '应为十进制数字字符串，例如 "12.50"', en: 'must be a decimal string such as "12.50"' },
  too_long: { 'zh-CN': '长度不能超过 {limit}', en: 'must be at most {limit} characters' },
  too_short: { 'zh-CN': '长度不能少于 {limit}', en: 'must be at least {limit} characters' },
  pattern: { 'zh-CN': '格式不正确', en: 'does not match the required pattern' },
  format: { 'zh-CN': '格式应为 {format}', en: 'must be a valid {format}' },
  enum: { 'zh-CN': '不是允许的选项', en: 'is not one of the allowed options' },
  min: { 'zh-CN': '不能小于 {limit}', en: 'must be at least {limit}' },
  max: { 'zh-CN': '不能大于 {limit}', en: 'must be at most {limit}' },
  precision: { 'zh-CN': '整数部分最多 {limit} 位', en: 'has more than {limit} digits before the point' },
  scale: { 'zh-CN': '小数最多 {limit} 位', en: 'has more than {limit} decimal places' },
  duplicate_items: { 'zh-CN': '包含重复项', en: 'contains duplicate items' },
  too_many: { 'zh-CN': '项目过多（最多 {limit}）', en: 'has too many items (at most {limit})' },
  invalid: { 'zh-CN': '值无效', en: 'is invalid' },
  nul_character: {
    'zh-CN': '不能包含 NUL 字符（\\u0000）',
    en: 'must not contain the NUL character (\\u0000)',
  },
  too_deep: {
    'zh-CN': '嵌套层级过深（最多 {limit} 层）',
    en: 'is nested too deeply (at most {limit} levels)',
  },
};

export function fieldMessage(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = (MESSAGES[code] ?? MESSAGES.invalid!)[locale];
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

const FORMAT_NAMES: Record<string, string> = {
  date: 'date (YYYY-MM-DD)',
  'date-time': 'date-time with offset (2025-01-07T10:30:00Z)',
  time: 'time (HH:MM[:SS])',
  uuid: 'id (UUID)',
};

function toFieldError(e: ErrorObject, locale: Locale): FieldError {
  const base = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const join = (name: string) => (base ? `${base}.${name}` : name);
  const p = e.params as Record<string, unknown>;
  const make = (field: string, code: string, params: Record<string, unknown> = {}) => ({
    field,
    code,
    message: fieldMessage(code, locale, params),
  });
  switch (e.keyword) {
    case 'required':
      return make(join(String(p.missingProperty)), 'required');
    case 'additionalProperties':
      return make(join(String(p.additionalProperty)), 'unknown_field');
    case 'type':
      return make(base, 'type', { type: p.type });
    case 'maxLength':
      return make(base, 'too_long', { limit: p.limit });
    case 'minLength':
      return make(base, 'too_short', { limit: p.limit });
    case 'pattern':
      return make(
        base,
        e.schemaPath.endsWith('pattern') && String(p.pattern).startsWith('^-?(0|') ? 'decimal' : 'pattern',
      );
    case 'format':
      return make(base, 'format', { format: FORMAT_NAMES[String(p.format)] ?? p.format });
    case 'enum':
      return make(base, 'enum');
    case 'minimum':
      return make(base, 'min', { limit: p.limit });
    case 'maximum':
      return make(base, 'max', { limit: p.limit });
    case 'uniqueItems':
      return make(base, 'duplicate_items');
    case 'maxItems':
      return make(base, 'too_many', { limit: p.limit });
    default:
      return make(base, 'invalid');
  }
}

export type RecordValidator = (input: unknown, locale: Locale) => FieldError[];

/** Compiles the validator of one mode; call once per entity version. */
export function compileRecordValidator(
  entity: EntityDef,
  lookup: EntityLookup,
  mode: 'create' | 'update' | 'action',
  options: { defaultCurrency: string },
): RecordValidator {
  const validate: ValidateFunction = ajv.compile(recordSchema(entity, lookup, mode));
  const readOnly = new Set(entity.fields.filter((f) => !isWritable(f, mode)).map((f) => f.name));
  return (input, locale) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return [{ field: '', code: 'type', message: fieldMessage('type', locale, { type: 'object' }) }];
    }
    const errors: FieldError[] = [];
    for (const key of Object.keys(input)) {
      if (readOnly.has(key))
        errors.push({ field: key, code: 'read_only', message: fieldMessage('read_only', locale) });
    }
    if (!validate(input)) {
      for (const e of validate.errors ?? []) {
        if (e.keyword === 'if') continue;
        const fe = toFieldError(e, locale);
        if (fe.code === 'unknown_field' && readOnly.has(fe.field)) continue;
        if (!errors.some((x) => x.field === fe.field && x.code === fe.code)) errors.push(fe);
      }
    }
    // PostgreSQL text and jsonb cannot hold U+0000: refused here rather than failing in the database.
    findUnstorableValues(entity, lookup, input as Record<string, unknown>, '', locale, errors);
    if (errors.length === 0)
      checkDecimals(entity, lookup, input as Record<string, unknown>, '', locale, options, errors);
    return errors;
  };
}

const MAX_JSON_DEPTH = 100;

/** What PostgreSQL could not store: a NUL character, or JSON nested deeper than we walk safely. */
function storageProblem(v: unknown, depth = 0): 'nul_character' | 'too_deep' | null {
  if (typeof v === 'string') return v.includes('\u0000') ? 'nul_character' : null;
  if (typeof v !== 'object' || v === null) return null;
  if (depth >= MAX_JSON_DEPTH) return 'too_deep';
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000')) return 'nul_character';
    const problem = storageProblem(x, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function findUnstorableValues(
  entity: EntityDef,
  lookup: EntityLookup,
  record: Record<string, unknown>,
  prefix: string,
  locale: Locale,
  errors: FieldError[],
): void {
  for (const [key, value] of Object.entries(record)) {
    const field = entity.fields.find((f) => f.name === key);
    const child = field?.kind === 'children' ? lookup(field.target!) : undefined;
    if (child && Array.isArray(value)) {
      for (const [i, line] of value.entries())
        if (typeof line === 'object' && line !== null && !Array.isArray(line))
          findUnstorableValues(
            child,
            lookup,
            line as Record<string, unknown>,
            `${prefix}${key}.${i}.`,
            locale,
            errors,
          );
      continue;
    }
    const problem = key.includes('\u0000') ? 'nul_character' : storageProblem(value);
    if (problem)
      errors.push({
        field: prefix + key,
        code: problem,
        message: fieldMessage(problem, locale, { limit: MAX_JSON_DEPTH }),
      });
  }
}

function checkDecimals(
  entity: EntityDef,
  lookup: EntityLookup,
  record: Record<string, unknown>,
  prefix: string,
  locale: Locale,
  options: { defaultCurrency: string },
  errors: FieldError[],
): void {
  for (const field of entity.fields) {
    const value = record[field.name];
    const path = prefix + field.name;
    if (field.kind === 'children' && Array.isArray(value)) {
      const child = lookup(field.target!);
      if (child)
        for (const [i, line] of value.entries())
          checkDecimals(
            child,
            lookup,
            line as Record<string, unknown>,
            `${path}.${i}.`,
            locale,
            options,
            errors,
          );
      continue;
    }
    if (typeof value !== 'string') continue;
    const limits = decimalLimits(field, record, options.defaultCurrency);
    if (limits) {
      const { integerDigits, scale } = decimalShape(value);
      if (scale > limits.scale)
        errors.push({
          field: path,
          code: 'scale',
          message: fieldMessage('scale', locale, { limit: limits.scale }),
        });
      if (integerDigits > limits.precision - limits.storageScale) {
        errors.push({
          field: path,
          code: 'precision',
          message: fieldMessage('precision', locale, { limit: limits.precision - limits.storageScale }),
        });
      }
      const v = parseDecimal(value)!;
      if (field.min !== undefined && v.lessThan(new Decimal(String(field.min)))) {
        errors.push({ field: path, code: 'min', message: fieldMessage('min', locale, { limit: field.min }) });
      }
      if (field.max !== undefined && v.greaterThan(new Decimal(String(field.max)))) {
        errors.push({ field: path, code: 'max', message: fieldMessage('max', locale, { limit: field.max }) });
      }
    } else if (field.kind === 'date') {
      if (field.min !== undefined && value < String(field.min))
        errors.push({ field: path, code: 'min', message: fieldMessage('min', locale, { limit: field.min }) });
      if (field.max !== undefined && value > String(field.max))
        errors.push({ field: path, code: 'max', message: fieldMessage('max', locale, { limit: field.max }) });
    }
  }
}

/** Digits allowed for a decimal-valued field: `scale` is what a value may carry. */
function decimalLimits(
  field: FieldDef,
  record: Record<string, unknown>,
  defaultCurrency: string,
): { precision: number; scale: number; storageScale: number } | null {
  switch (field.kind) {
    case 'decimal': {
      const scale = field.scale ?? 6;
      return { precision: field.precision ?? 18, scale, storageScale: scale };
    }
    case 'money': {
      const fromField = field.currencyField ? record[field.currencyField] : undefined;
      const currency = typeof fromField === 'string' ? fromField : (field.currency ?? defaultCurrency);
      return { precision: 19, scale: Math.min(currencyScale(currency), 4), storageScale: 4 };
    }
    case 'quantity':
      return { precision: 20, scale: 6, storageScale: 6 };
    default:
      return null;
  }
}
