/**
 * Turns what a user (or a module) sends into a valid, normalised entity definition, or refuses it
 * with every problem listed at its path. Names left out are derived from the labels (pinyin for
 * Chinese), and stay stable across edits.
 */
import { AppError, type FieldError, type Label } from '@tenon/core';
import { MetaErrors } from './errors.ts';
import { identifierFromLabel, isIdentifier, uniqueIdentifier } from './naming.ts';
import { encryptionProblems } from './records/encryption.ts';
import { resolveEntity } from './resolve.ts';
import {
  CHILD_COLUMNS,
  type EntityDef,
  FIELD_KINDS,
  type FieldDef,
  type FieldInput,
  SYSTEM_COLUMNS,
} from './types.ts';
import { checkField, checkLabel, isObject, labelTextOf, type NormalizeContext } from './validate-field.ts';

export type { NormalizeContext } from './validate-field.ts';

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
  'documents',
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
  'jsonSchema',
  'readOnly',
  'hidden',
  'actionOwned',
  'encrypted',
  'renamedFrom',
]);

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
          // the label may be missing or no object (already reported): no match then, not a TypeError
          (field.label?.['zh-CN'] && p.label['zh-CN'] === field.label['zh-CN']) ||
          (field.label?.en && p.label.en === field.label.en),
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
  if (input.documents !== undefined) def.documents = input.documents as EntityDef['documents'];

  const all = [...inherited, ...def.fields];
  for (const [i, f] of def.fields.entries()) checkField(f, `fields.${i}`, { def, all, ctx, errors });
  checkEntityConstraints(def, all, errors);
  errors.push(...encryptionProblems(def, all, ctx.previous));

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

/**
 * A formula against the fields before it. A field already refused for its name (not an identifier,
 * a duplicate, a CEL keyword) cannot be a CEL variable: that is reported, not thrown as a 500.
 */
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
  if (def.documents !== undefined) checkDocuments(def.documents, errors);
}

/** An API path of this server with the record's id in it, nothing to leave the site or climb out. */
const DOCUMENT_PATH = /^\/api\/v1\/[a-z0-9_/.{}-]*\{id\}[a-z0-9_/.{}-]*$/;

function checkDocuments(documents: unknown, errors: FieldError[]): void {
  if (!Array.isArray(documents)) {
    errors.push({ field: 'documents', code: 'invalid', message: 'documents is a list' });
    return;
  }
  documents.forEach((d, i) => {
    if (!isObject(d) || typeof d.name !== 'string' || !isIdentifier(d.name))
      errors.push({
        field: `documents.${i}.name`,
        code: 'invalid_identifier',
        message: 'document names are snake_case',
      });
    if (!isObject(d) || typeof d.path !== 'string' || !DOCUMENT_PATH.test(d.path) || d.path.includes('..'))
      errors.push({
        field: `documents.${i}.path`,
        code: 'invalid',
        message: 'an /api/v1/ path with {id} for the record',
      });
    if (!isObject(d) || !isObject(d.label))
      errors.push({ field: `documents.${i}.label`, code: 'required', message: 'a label in zh-CN and/or en' });
  });
}
