/**
 * Master data of recent postings, per process and tenant schema, for the one-statement receipt
 * (decision 0018). Never trusted on its own: that statement re-checks every fact it relies on and
 * writes nothing when one changed, and the full posting path then reads them afresh.
 */
import type { ItemRow, LocationRow, WarehouseRow } from './master-data.repository.ts';

type Facts = {
  items: Map<string, ItemRow>;
  locations: Map<string, LocationRow>;
  warehouses: Map<string, WarehouseRow>;
};

/** Entries per schema before the cache starts over. */
const LIMIT = 20_000;
const bySchema = new Map<string, Facts>();

export function cachedFacts(schema: string): Facts | undefined {
  return bySchema.get(schema);
}

export function rememberFacts(
  schema: string,
  f: { warehouse: WarehouseRow; items: Map<string, ItemRow>; locations: Map<string, LocationRow> },
): void {
  let facts = bySchema.get(schema);
  if (!facts || facts.items.size + facts.locations.size > LIMIT) {
    facts = { items: new Map(), locations: new Map(), warehouses: new Map() };
    bySchema.set(schema, facts);
  }
  facts.warehouses.set(f.warehouse.id, f.warehouse);
  for (const [id, item] of f.items) facts.items.set(id, item);
  for (const [id, location] of f.locations) facts.locations.set(id, location);
}

/** Forgets what a schema's postings cached (a fact the statement found changed). */
export function forgetFacts(schema: string): void {
  bySchema.delete(schema);
}
