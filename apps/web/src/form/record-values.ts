/** Between the API's records (links possibly expanded) and the body a create/update takes. */
import type { EntityDef, RecordData } from '../api/types.ts';

const SYSTEM = new Set([
  'version',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'parent_id',
  'parent_field',
  'line_no',
]);

const idOf = (v: unknown) =>
  typeof v === 'object' && v !== null && 'id' in v ? (v as { id: unknown }).id : v;

/** The writable fields of `values`, links and attachments as ids, child lines cleaned the same way. */
export function toBody(
  def: EntityDef,
  values: RecordData,
  entity: (name: string) => EntityDef | undefined,
  keepId = false,
): RecordData {
  const body: RecordData = {};
  if (keepId && values.id) body.id = values.id;
  for (const f of def.fields) {
    if (f.kind === 'formula' || f.kind === 'sequence' || f.readOnly || f.actionOwned || SYSTEM.has(f.name))
      continue;
    if (!(f.name in values)) continue;
    const v = values[f.name];
    if (f.kind === 'link' || f.kind === 'attachment') body[f.name] = v === undefined ? null : idOf(v);
    else if (f.kind === 'multi_link') body[f.name] = Array.isArray(v) ? v.map(idOf) : [];
    else if (f.kind === 'children') {
      const child = entity(f.target ?? '');
      body[f.name] = (Array.isArray(v) ? v : []).map((line: RecordData) =>
        child ? toBody(child, line, entity, true) : line,
      );
    } else body[f.name] = v;
  }
  return body;
}

/** Fields whose value differs from the loaded record (what a PATCH sends). */
export function changedOnly(body: RecordData, original: RecordData): RecordData {
  const out: RecordData = {};
  for (const [k, v] of Object.entries(body)) {
    if (JSON.stringify(v) !== JSON.stringify(original[k])) out[k] = v;
  }
  return out;
}
