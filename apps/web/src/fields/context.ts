/** What link, child-table and attachment fields need from the surrounding app, injectable in tests. */
import { createContext, useContext } from 'react';
import type { EntityDef, RecordData } from '../api/types.ts';

export type FieldServices = {
  entity: (name: string) => EntityDef | undefined;
  /** Records of `target` whose title contains `text` (at most 20). */
  search: (target: string, text: string) => Promise<RecordData[]>;
  /** Uploads a file, resolving to its id. */
  upload: (file: File) => Promise<string>;
  /** Opens an uploaded file (download or preview). */
  open: (id: string) => void;
  /** Starts creating a new record of `target` (the link picker's "create new"). */
  createNew: (target: string) => void;
};

export const FieldServicesContext = createContext<FieldServices>({
  entity: () => undefined,
  search: async () => [],
  upload: async () => {
    throw new Error('no upload service');
  },
  open: () => {},
  createNew: () => {},
});

export const useFieldServices = (): FieldServices => useContext(FieldServicesContext);

/** The field that names a record: the entity's titleField, else its first string field, else id. */
export function titleFieldOf(def: EntityDef | undefined): string {
  if (!def) return 'id';
  if (def.titleField) return def.titleField;
  return def.fields.find((f) => f.kind === 'string' || f.kind === 'sequence')?.name ?? 'id';
}

export function titleOf(record: RecordData | null | undefined, def: EntityDef | undefined): string {
  if (!record) return '';
  const value = record[titleFieldOf(def)];
  return typeof value === 'string' && value ? value : String(record.id ?? '');
}
