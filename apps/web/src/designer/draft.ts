/** The designer's editable draft of an entity and its conversion to definitions for the meta API. */
import type { EntityDef, FieldDef, FieldKind } from '../api/types.ts';

export type FieldDraft = {
  key: string;
  name: string;
  zh: string;
  en: string;
  kind: FieldKind;
  required: boolean;
  target: string;
  options: string;
  pattern: string;
  currency: string;
  expression: string;
  /** children: the fields of the child table. */
  lines: FieldDraft[];
};

export type EntityDraft = { name: string; zh: string; en: string; fields: FieldDraft[]; existing: boolean };

let counter = 0;
export const newField = (kind: FieldKind = 'string'): FieldDraft => ({
  key: `f${++counter}`,
  name: '',
  zh: '',
  en: '',
  kind,
  required: false,
  target: '',
  options: '',
  pattern: '',
  currency: '',
  expression: '',
  lines: [],
});

const label = (zh: string, en: string) => ({ ...(zh ? { 'zh-CN': zh } : {}), ...(en ? { en } : {}) });

/** The child entity a children field creates: `<parent>_<field>`. */
export const childName = (parent: string, field: FieldDraft) => `${parent}_${field.name || 'lines'}`;

function fieldDef(parent: string, f: FieldDraft): Record<string, unknown> {
  const def: Record<string, unknown> = { label: label(f.zh, f.en), kind: f.kind };
  if (f.name) def.name = f.name;
  if (f.required) def.required = true;
  if ((f.kind === 'link' || f.kind === 'multi_link') && f.target) def.target = f.target;
  if (f.kind === 'children') def.target = childName(parent, f);
  if (f.kind === 'select')
    def.options = f.options
      .split(/[,，]/)
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => ({ value: o, label: { 'zh-CN': o, en: o } }));
  if (f.kind === 'sequence') def.sequence = { pattern: f.pattern || 'NO-{SEQ:5}' };
  if (f.kind === 'money' && f.currency) def.currency = f.currency;
  if (f.kind === 'formula') def.expression = f.expression;
  return def;
}

/** The definitions to send: the entity, then one child entity per children field. */
export function toDefinitions(draft: EntityDraft): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    label: label(draft.zh, draft.en),
    fields: draft.fields.map((f) => fieldDef(draft.name, f)),
  };
  if (draft.name) main.name = draft.name;
  const children = draft.fields
    .filter((f) => f.kind === 'children')
    .map((f) => ({
      name: childName(draft.name, f),
      label: label(f.zh, f.en),
      childOf: draft.name,
      fields: f.lines.map((l) => fieldDef(childName(draft.name, f), l)),
    }));
  return [main, ...children];
}

/** What a saved definition looks like in the designer. */
export function fromDefinition(def: EntityDef, all: EntityDef[]): EntityDraft {
  const toDraft = (f: FieldDef): FieldDraft => ({
    ...newField(f.kind),
    name: f.name,
    zh: f.label['zh-CN'] ?? '',
    en: f.label.en ?? '',
    required: !!f.required,
    target: f.target ?? '',
    options: (f.options ?? []).map((o) => o.value).join(','),
    pattern: f.sequence?.pattern ?? '',
    currency: f.currency ?? '',
    expression: f.expression ?? '',
    lines: f.kind === 'children' ? (all.find((e) => e.name === f.target)?.fields ?? []).map(toDraft) : [],
  });
  return {
    name: def.name,
    zh: def.label['zh-CN'] ?? '',
    en: def.label.en ?? '',
    existing: true,
    fields: def.fields.map(toDraft),
  };
}
