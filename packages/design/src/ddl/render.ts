/** Schema sync, part two: each plan step as SQL statements for one tenant schema. */
import { type RawBuilder, sql } from '@tenon/db';
import { type ColumnModel, renderColumnType, shortName, type TableModel } from './physical.ts';
import type { PlanStep } from './plan.ts';

const typeSql = (col: Pick<ColumnModel, 'type'>) => sql.raw(renderColumnType(col.type));

const fkName = (table: string, column: string) => shortName(`fk_${table}_${column}`);

const ON_DELETE = { restrict: 'RESTRICT', cascade: 'CASCADE', set_null: 'SET NULL' } as const;

function columnDefinition(col: ColumnModel): RawBuilder<unknown> {
  const notNull = col.notNull ? sql` NOT NULL` : sql``;
  const dflt =
    col.systemDefault === 'now' ? sql` DEFAULT now()` : col.systemDefault === 'one' ? sql` DEFAULT 1` : sql``;
  const pk = col.name === 'id' ? sql` PRIMARY KEY` : sql``;
  return sql`${sql.id(col.name)} ${typeSql(col)}${pk}${notNull}${dflt}`;
}

function foreignKey(schema: string, table: string, col: ColumnModel): RawBuilder<unknown> {
  const ref = col.references!;
  return sql`ALTER TABLE ${sql.id(schema, table)} ADD CONSTRAINT ${sql.id(fkName(table, col.name))}
    FOREIGN KEY (${sql.id(col.name)}) REFERENCES ${sql.id(schema, ref.table)} (${sql.id(ref.column)})
    ON DELETE ${sql.raw(ON_DELETE[ref.onDelete])}`;
}

function createIndex(schema: string, table: string, idx: TableModel['indexes'][number]) {
  const unique = idx.unique ? sql`UNIQUE ` : sql``;
  return sql`CREATE ${unique}INDEX ${sql.id(idx.name)} ON ${sql.id(schema, table)} (${sql.join(idx.columns.map((c) => sql.id(c)))})`;
}

/**
 * Statements for one step. Foreign keys of a new table are added as separate steps by the caller
 * (see `orderForExecution`), so tables that link to each other can be created in any order.
 */
export function renderStep(schema: string, step: PlanStep): RawBuilder<unknown>[] {
  switch (step.op) {
    case 'create_table': {
      const t = step.table;
      return [
        sql`CREATE TABLE ${sql.id(schema, t.name)} (${sql.join(t.columns.map(columnDefinition))})`,
        ...t.columns.filter((c) => c.references).map((c) => foreignKey(schema, t.name, c)),
        ...t.indexes.map((i) => createIndex(schema, t.name, i)),
      ];
    }
    case 'drop_table':
      return [sql`DROP TABLE ${sql.id(schema, step.table)}`];
    case 'add_column': {
      const col = step.column;
      const out = [
        sql`ALTER TABLE ${sql.id(schema, step.table)} ADD COLUMN ${sql.id(col.name)} ${typeSql(col)}`,
      ];
      if (col.backfill !== undefined) {
        const value = typeof col.backfill === 'object' ? JSON.stringify(col.backfill) : col.backfill;
        out.push(
          sql`UPDATE ${sql.id(schema, step.table)} SET ${sql.id(col.name)} = ${value}::${typeSql(col)} WHERE ${sql.id(col.name)} IS NULL`,
        );
      }
      if (col.notNull) {
        out.push(
          sql`ALTER TABLE ${sql.id(schema, step.table)} ALTER COLUMN ${sql.id(col.name)} SET NOT NULL`,
        );
      }
      return out;
    }
    case 'drop_column':
      return [sql`ALTER TABLE ${sql.id(schema, step.table)} DROP COLUMN ${sql.id(step.column)}`];
    case 'rename_column':
      return [
        sql`ALTER TABLE ${sql.id(schema, step.table)} RENAME COLUMN ${sql.id(step.from)} TO ${sql.id(step.to)}`,
      ];
    case 'alter_type':
      return [
        sql`ALTER TABLE ${sql.id(schema, step.table)} ALTER COLUMN ${sql.id(step.column)} TYPE ${typeSql({ type: step.to })} USING ${sql.id(step.column)}::${typeSql({ type: step.to })}`,
      ];
    case 'set_not_null':
      return [
        sql`ALTER TABLE ${sql.id(schema, step.table)} ALTER COLUMN ${sql.id(step.column)} SET NOT NULL`,
      ];
    case 'drop_not_null':
      return [
        sql`ALTER TABLE ${sql.id(schema, step.table)} ALTER COLUMN ${sql.id(step.column)} DROP NOT NULL`,
      ];
    case 'add_foreign_key':
      return [
        foreignKey(schema, step.table, { name: step.column, references: step.references } as ColumnModel),
      ];
    case 'drop_foreign_key':
      return [
        sql`ALTER TABLE ${sql.id(schema, step.table)} DROP CONSTRAINT IF EXISTS ${sql.id(fkName(step.table, step.column))}`,
      ];
    case 'create_index':
      return [createIndex(schema, step.table, step.index)];
    case 'drop_index':
      return [sql`DROP INDEX ${sql.id(schema, step.index)}`];
    case 'create_join_table': {
      const j = step.join;
      return [
        sql`CREATE TABLE ${sql.id(schema, j.name)} (
          source_id uuid NOT NULL REFERENCES ${sql.id(schema, j.sourceTable)} (id) ON DELETE CASCADE,
          target_id uuid NOT NULL REFERENCES ${sql.id(schema, j.targetTable)} (id) ON DELETE RESTRICT,
          PRIMARY KEY (source_id, target_id)
        )`,
        sql`CREATE INDEX ${sql.id(shortName(`ix_${j.name}_target`))} ON ${sql.id(schema, j.name)} (target_id)`,
      ];
    }
    case 'drop_join_table':
      return [sql`DROP TABLE ${sql.id(schema, step.name)}`];
  }
}
