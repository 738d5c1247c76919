/**
 * JSON Schemas of records, generated from resolved definitions: one for create, one for update
 * (input) and one for the stored record (output, used by OpenAPI). Decimals are strings.
 */
import type { EntityDef, FieldDef } from '../types.ts';

export type JsonSchema = Record<string, unknown>;
/** `action`: an update made by a declared action, which may also write action-owned fields. */
export type SchemaMode = 'create' | 'update' | 'action' | 'output';
export type EntityLookup = (name: string) => EntityDef | undefined;

export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$';

/** Fields a client may write through plain CRUD. */
export function isWritable(field: FieldDef, mode: SchemaMode = 'update'): boolean {
  if (field.kind === 'formula' || field.kind === 'sequence' || field.readOnly) return false;
  // Action-owned fields (a document's status) are written only by the entity's declared actions.
  return !field.actionOwned || mode === 'action';
}

function valueSchema(field: FieldDef, lookup: EntityLookup, mode: SchemaMode): JsonSchema {
  const base: JsonSchema = {};
  if (field.description) base.description = field.description;
  switch (field.kind) {
    case 'string':
    case 'text': {
      const s: JsonSchema = { ...base, type: 'string' };
      const max = field.maxLength ?? (field.kind === 'string' ? 255 : undefined);
      if (max !== undefined) s.maxLength = max;
      if (field.minLength !== undefined) s.minLength = field.minLength;
      if (field.pattern !== undefined) s.pattern = field.pattern;
      return s;
    }
    case 'integer': {
      const s: JsonSchema = {
        ...base,
        type: 'integer',
        minimum: -9007199254740991,
        maximum: 9007199254740991,
      };
      if (field.min !== undefined) s.minimum = field.min;
      if (field.max !== undefined) s.maximum = field.max;
      return s;
    }
    case 'decimal':
    case 'money':
    case 'quantity':
      return { ...base, type: 'string', pattern: DECIMAL_PATTERN, examples: ['12.50'] };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'time':
      return { ...base, type: 'string', format: 'time', examples: ['09:30', '09:30:15'] };
    case 'select':
      return { ...base, type: 'string', enum: (field.options ?? []).map((o) => o.value) };
    case 'link':
    case 'attachment':
      return { ...base, type: 'string', format: 'uuid' };
    case 'multi_link':
      return {
        ...base,
        type: 'array',
        items: { type: 'string', format: 'uuid' },
        uniqueItems: true,
        maxItems: 1000,
      };
    case 'json':
      return { ...(field.jsonSchema ?? {}), ...base };
    case 'formula':
      switch (field.resultKind ?? 'string') {
        case 'decimal':
          return { ...base, type: 'string', pattern: DECIMAL_PATTERN };
        case 'integer':
          return { ...base, type: 'integer' };
        case 'boolean':
          return { ...base, type: 'boolean' };
        case 'date':
          return { ...base, type: 'string', format: 'date' };
        default:
          return { ...base, type: 'string' };
      }
    case 'sequence':
      return { ...base, type: 'string' };
    case 'children': {
      const child = lookup(field.target!);
      if (!child) return { ...base, type: 'array' };
      if (mode === 'output') return { ...base, type: 'array', items: recordSchema(child, lookup, 'output') };
      if (mode === 'create')
        return { ...base, type: 'array', maxItems: 10000, items: recordSchema(child, lookup, 'create') };
      // Update: a line with an id is changed, a line without one is new, a missing line is removed.
      return {
        ...base,
        type: 'array',
        maxItems: 10000,
        items: {
          if: { type: 'object', required: ['id'] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
          then: recordSchema(child, lookup, 'update', true),
          else: recordSchema(child, lookup, 'create'),
        },
      };
    }
  }
}

function nullable(schema: JsonSchema): JsonSchema {
  const t = schema.type;
  if (typeof t === 'string')
    return {
      ...schema,
      type: [t, 'null'],
      ...(schema.enum ? { enum: [...(schema.enum as unknown[]), null] } : {}),
    };
  return schema;
}

/** The JSON Schema of an entity's records for one mode. */
export function recordSchema(
  entity: EntityDef,
  lookup: EntityLookup,
  mode: SchemaMode,
  withId = false,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  if (mode === 'output' || withId) properties.id = { type: 'string', format: 'uuid' };
  if (withId) required.push('id');
  for (const field of entity.fields) {
    if (mode !== 'output' && !isWritable(field, mode)) continue;
    let schema = valueSchema(field, lookup, mode);
    const isRequired = Boolean(field.required) && field.kind !== 'children';
    if (!isRequired && field.kind !== 'children' && field.kind !== 'multi_link' && field.kind !== 'json') {
      schema = nullable(schema);
    }
    if (mode === 'output' && !isWritable(field)) schema = { ...schema, readOnly: true };
    properties[field.name] = schema;
    if (mode === 'create' && isRequired && field.default === undefined) required.push(field.name);
  }
  if (mode === 'output') {
    properties.version = { type: 'integer', readOnly: true };
    properties.created_at = { type: 'string', format: 'date-time', readOnly: true };
    properties.updated_at = { type: 'string', format: 'date-time', readOnly: true };
    properties.created_by = { type: ['string', 'null'], readOnly: true };
    properties.updated_by = { type: ['string', 'null'], readOnly: true };
  }
  const schema: JsonSchema = { type: 'object', properties, additionalProperties: mode === 'output' };
  if (required.length > 0) schema.required = required;
  return schema;
}
