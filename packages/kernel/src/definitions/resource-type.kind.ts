/**
 * The `resource_type` design object kind: a named kind of resource in one category (a laser device, a
 * treatment room, a doctor). The built-in types, one per category, are registered from code.
 */
import type { FieldError, Label } from '@tenon/core';
import { identifierFromLabel, isIdentifier, type ObjectKind, uniqueIdentifier } from '@tenon/design';
import type { ResourceCategory, ResourceTypeDef } from '../types.ts';

export const RESOURCE_CATEGORIES: readonly ResourceCategory[] = [
  'material',
  'equipment',
  'device',
  'room',
  'capital',
  'skill',
  'person',
];

const KEYS = new Set(['name', 'label', 'category', 'description']);
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function isLabel(v: unknown): v is Label {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.every(
      (k) => (k === 'zh-CN' || k === 'en') && typeof v[k] === 'string' && (v[k] as string).trim() !== '',
    )
  );
}

export const resourceTypeKind: ObjectKind = {
  kind: 'resource_type',
  label: { 'zh-CN': '资源类型', en: 'Resource type' },
  check(input, ctx) {
    if (!isObj(input))
      return { errors: [{ field: '', code: 'type', message: 'a resource type is an object' }] };
    const errors: FieldError[] = [];
    for (const key of Object.keys(input)) {
      if (!KEYS.has(key))
        errors.push({ field: key, code: 'unknown', message: 'not a resource type property' });
    }
    if (!isLabel(input.label)) {
      errors.push({ field: 'label', code: 'label', message: 'a label in zh-CN and/or en is required' });
    }
    let name = input.name;
    if (name === undefined && isLabel(input.label)) {
      const base = identifierFromLabel(input.label['zh-CN'] ?? input.label.en ?? '', { fallbackPrefix: 'r' });
      const taken = new Set(ctx.objects.filter((o) => o.kind === 'resource_type').map((o) => o.name));
      name = uniqueIdentifier(base, taken);
    }
    if (typeof name !== 'string' || !isIdentifier(name)) {
      errors.push({ field: 'name', code: 'name', message: 'lowercase letters, digits, _' });
    }
    if (!RESOURCE_CATEGORIES.includes(input.category as ResourceCategory)) {
      errors.push({ field: 'category', code: 'option', message: `one of ${RESOURCE_CATEGORIES.join(', ')}` });
    }
    if (input.description !== undefined && typeof input.description !== 'string') {
      errors.push({ field: 'description', code: 'type', message: 'must be text' });
    }
    if (errors.length > 0) return { errors };
    return { value: { ...input, name: name as string } };
  },
};

/** One built-in type per category; the composition root upserts them as module-owned objects. */
export const BUILTIN_RESOURCE_TYPES: readonly ResourceTypeDef[] = [
  { name: 'material', category: 'material', label: { 'zh-CN': '物料', en: 'Material' } },
  { name: 'equipment', category: 'equipment', label: { 'zh-CN': '设备', en: 'Equipment' } },
  { name: 'device', category: 'device', label: { 'zh-CN': '仪器', en: 'Device' } },
  { name: 'room', category: 'room', label: { 'zh-CN': '房间', en: 'Room' } },
  { name: 'capital', category: 'capital', label: { 'zh-CN': '资金', en: 'Capital' } },
  { name: 'skill', category: 'skill', label: { 'zh-CN': '技能', en: 'Skill' } },
  { name: 'person', category: 'person', label: { 'zh-CN': '人员', en: 'Person' } },
];
