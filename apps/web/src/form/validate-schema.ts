/**
 * Validates a value against the JSON Schema the server publishes for an entity (`<entity>_create`,
 * `<entity>_update` in /api/openapi.json): the keywords `recordSchema` uses, interpreted without code
 * generation so that the console runs under a CSP without 'unsafe-eval'.
 */
import type { FieldError } from '../api/client.ts';

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  format?: string;
  items?: Schema;
  maxItems?: number;
  uniqueItems?: boolean;
  if?: Schema;
  then?: Schema;
  else?: Schema;
  $ref?: string;
};

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i,
  time: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

export function validateSchema(
  schema: Schema,
  value: unknown,
  path = '',
  resolve: (ref: string) => Schema | undefined = () => undefined,
): FieldError[] {
  if (schema.$ref) {
    const target = resolve(schema.$ref);
    return target ? validateSchema(target, value, path, resolve) : [];
  }
  const errors: FieldError[] = [];
  const fail = (code: string, message: string) => errors.push({ field: path, code, message });
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, actual))) {
      fail('type', `must be ${types.join(' or ')}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) fail('enum', 'must be one of the options');
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength)
      fail('maxLength', `at most ${schema.maxLength} characters`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength)
      fail('minLength', `at least ${schema.minLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      fail('pattern', 'invalid format');
    const format = schema.format ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) fail('format', `must be a ${schema.format}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail('minimum', `at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail('maximum', `at most ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      fail('maxItems', `at most ${schema.maxItems} items`);
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      fail('uniqueItems', 'items must be unique');
    if (schema.items) {
      for (const [i, item] of value.entries())
        errors.push(...validateSchema(schema.items, item, join(path, String(i)), resolve));
    }
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (record[name] === undefined)
        errors.push({ field: join(path, name), code: 'required', message: 'required' });
    }
    for (const [name, v] of Object.entries(record)) {
      const sub = schema.properties?.[name];
      if (sub) errors.push(...validateSchema(sub, v, join(path, name), resolve));
      else if (schema.additionalProperties === false)
        errors.push({ field: join(path, name), code: 'additionalProperties', message: 'unknown field' });
    }
  }
  if (schema.if) {
    const branch = validateSchema(schema.if, value, path, resolve).length === 0 ? schema.then : schema.else;
    if (branch) errors.push(...validateSchema(branch, value, path, resolve));
  }
  return errors;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
