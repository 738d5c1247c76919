/** A fresh tenant with org + inventory, a company, a warehouse with bins and items (bench data). */
import { newId } from '@tenon/core';
import {
  createTenant,
  type Database,
  migratePlatform,
  openPostgres,
  PLATFORM_SCHEMA,
  registerMigrations,
  sql,
} from '@tenon/db';
import { applyDefinitions, createRecordIn, MetamodelCache, systemContext } from '@tenon/design';
import { inventoryModule } from '@tenon/inventory';
import { orgModule } from '@tenon/org';

export type InventoryBenchData = {
  db: Database;
  schema: string;
  warehouse: string;
  bins: string[];
  items: string[];
  make(entity: string, data: Record<string, unknown>): Promise<string>;
  uom: string;
  /** Drops the bench tenant and closes the pool (a server started later polls every tenant left). */
  dispose(): Promise<void>;
};

export async function inventoryBenchData(
  url: string,
  options: { bins: number; items: number; pool?: number },
): Promise<InventoryBenchData> {
  registerMigrations(inventoryModule.migrations!);
  const db = await openPostgres({ connectionString: url, max: options.pool ?? 70 });
  await migratePlatform(db);
  const tenant = await createTenant(db, {
    name: `inv${newId().replaceAll('-', '').slice(-12)}`,
    settings: {},
  });
  const cache = new MetamodelCache(db, { cipher: null });
  for (const mod of [orgModule, inventoryModule]) {
    await applyDefinitions(db, await cache.forTenant(tenant), mod.entities, {
      mode: 'upsert',
      source: `module:${mod.name}`,
    });
    cache.invalidate(tenant.name);
  }
  const metamodel = await cache.forTenant(tenant);
  const ctx = systemContext({ db, metamodel });
  const make = async (entity: string, data: Record<string, unknown>) =>
    (await db.transaction((tx) => createRecordIn(tx, ctx, metamodel.get(entity), data))).id as string;
  const company = await make('company', { code: 'B', name: 'Bench' });
  const uom = await make('uom', { code: 'PCS', name: 'Piece' });
  const warehouse = await make('warehouse', { code: 'BW', name: 'Bench', company });
  const bins: string[] = [];
  for (let i = 0; i < options.bins; i++) bins.push(await make('location', { code: `B${i}`, warehouse }));
  const items: string[] = [];
  for (let i = 0; i < options.items; i++)
    items.push(await make('item', { name: `Item ${i}`, base_uom: uom }));
  const dispose = async () => {
    await db.run(sql`DROP SCHEMA ${sql.id(tenant.schemaName)} CASCADE`);
    await db.run(sql`DELETE FROM ${sql.id(PLATFORM_SCHEMA, 'tenant')} WHERE id = ${tenant.id}`);
    await db.close();
  };
  return { db, schema: tenant.schemaName, warehouse, bins, items, make, uom, dispose };
}
