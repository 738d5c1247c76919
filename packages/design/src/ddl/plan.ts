/**
 * Schema sync, part one: a pure diff from the old physical model to the new one. The plan says what
 * will happen and which steps would lose or narrow data; nothing runs here.
 */
import {
  type ColumnModel,
  type ColumnType,
  type ForeignKey,
  type IndexModel,
  type JoinTableModel,
  renderColumnType,
  type TableModel,
} from './physical.ts';

export type PlanStep = { description: string; destructive: boolean } & (
  | { op: 'create_table'; table: TableModel }
  | { op: 'drop_table'; table: string }
  | { op: 'add_column'; table: string; column: ColumnModel }
  | { op: 'drop_column'; table: string; column: string }
  | { op: 'rename_column'; table: string; from: string; to: string }
  | { op: 'alter_type'; table: string; column: string; from: ColumnType; to: ColumnType }
  | { op: 'set_not_null' | 'drop_not_null'; table: string; column: string }
  | { op: 'add_foreign_key'; table: string; column: string; references: ForeignKey }
  | { op: 'drop_foreign_key'; table: string; column: string }
  | { op: 'create_index'; table: string; index: IndexModel }
  | { op: 'drop_index'; table: string; index: string }
  | { op: 'create_join_table'; join: JoinTableModel }
  | { op: 'drop_join_table'; name: string }
);

const INTEGER_DIGITS: Record<string, number> = { integer: 10, bigint: 19 };

/** True when every value of `from` fits in `to` unchanged. */
export function isWidening(from: ColumnType, to: ColumnType): boolean {
  if (sameType(from, to)) return true;
  if (from.base === 'varchar') {
    return to.base === 'text' || (to.base === 'varchar' && to.length >= from.length);
  }
  if (from.base === 'integer' && to.base === 'bigint') return true;
  const intDigits = INTEGER_DIGITS[from.base];
  if (intDigits !== undefined && to.base === 'numeric') return to.precision - to.scale >= intDigits;
  if (from.base === 'numeric' && to.base === 'numeric') {
    return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
  }
  return false;
}

export function sameType(a: ColumnType, b: ColumnType): boolean {
  return renderColumnType(a) === renderColumnType(b);
}

function sameReference(a: ForeignKey | undefined, b: ForeignKey | undefined): boolean {
  if (!a || !b) return a === b;
  return a.table === b.table && a.column === b.column && a.onDelete === b.onDelete;
}

/**
 * The steps from `before` to `after` (either may be null: create or drop the table).
 * `renames` maps old column names to new ones; a column that disappears without a rename is a drop.
 */
export function planTableChange(
  before: TableModel | null,
  after: TableModel | null,
  renames: Record<string, string> = {},
): PlanStep[] {
  if (!before && !after) return [];
  if (!before && after) {
    return [
      { op: 'create_table', table: after, destructive: false, description: `create table ${after.name}` },
      ...after.joinTables.map(createJoin),
    ];
  }
  if (before && !after) {
    return [
      ...before.joinTables.map(dropJoin),
      { op: 'drop_table', table: before.name, destructive: true, description: `drop table ${before.name}` },
    ];
  }
  const old = before!;
  const next = after!;
  const table = next.name;
  const steps: PlanStep[] = [];
  const renamed = new Map<string, ColumnModel>(); // new name -> old column
  const oldByName = new Map(old.columns.map((c) => [c.name, c]));
  const nextByName = new Map(next.columns.map((c) => [c.name, c]));

  for (const [from, to] of Object.entries(renames)) {
    const col = oldByName.get(from);
    if (!col || !nextByName.has(to) || oldByName.has(to)) continue;
    renamed.set(to, col);
    steps.push({
      op: 'rename_column',
      table,
      from,
      to,
      destructive: false,
      description: `rename column ${table}.${from} to ${to}`,
    });
  }
  const previousOf = (name: string) => renamed.get(name) ?? oldByName.get(name);
  const renamedFrom = new Set([...renamed.values()].map((c) => c.name));

  // Indexes and foreign keys that change are dropped first and recreated at the end.
  const nextIndexNames = new Set(next.indexes.map((i) => i.name));
  const oldIndexNames = new Set(old.indexes.map((i) => i.name));
  for (const idx of old.indexes) {
    if (!nextIndexNames.has(idx.name) || idx.columns.some((c) => renamedFrom.has(c))) {
      steps.push({
        op: 'drop_index',
        table,
        index: idx.name,
        destructive: false,
        description: `drop index ${idx.name}`,
      });
      oldIndexNames.delete(idx.name);
    }
  }
  for (const col of next.columns) {
    const prev = previousOf(col.name);
    if (prev?.references && (!sameReference(prev.references, col.references) || renamed.has(col.name))) {
      steps.push({
        op: 'drop_foreign_key',
        table,
        column: prev.name === col.name ? col.name : prev.name,
        destructive: false,
        description: `drop foreign key on ${table}.${prev.name}`,
      });
    }
  }
  for (const prev of old.columns) {
    if (prev.references && !nextByName.has(prev.name) && !renamedFrom.has(prev.name)) {
      steps.push({
        op: 'drop_foreign_key',
        table,
        column: prev.name,
        destructive: false,
        description: `drop foreign key on ${table}.${prev.name}`,
      });
    }
  }

  for (const col of next.columns) {
    const prev = previousOf(col.name);
    if (!prev) {
      steps.push({
        op: 'add_column',
        table,
        column: col,
        destructive: false,
        description: `add column ${table}.${col.name} ${renderColumnType(col.type)}${col.notNull ? ' not null' : ''}`,
      });
      continue;
    }
    if (!sameType(prev.type, col.type)) {
      const widening = isWidening(prev.type, col.type);
      steps.push({
        op: 'alter_type',
        table,
        column: col.name,
        from: prev.type,
        to: col.type,
        destructive: !widening,
        description: `${widening ? 'widen' : 'NARROW/convert'} ${table}.${col.name} from ${renderColumnType(prev.type)} to ${renderColumnType(col.type)}`,
      });
    }
    if (prev.notNull !== col.notNull) {
      steps.push({
        op: col.notNull ? 'set_not_null' : 'drop_not_null',
        table,
        column: col.name,
        destructive: false,
        description: `${col.notNull ? 'require' : 'allow empty'} ${table}.${col.name}`,
      });
    }
  }
  for (const prev of old.columns) {
    if (!nextByName.has(prev.name) && !renamedFrom.has(prev.name)) {
      steps.push({
        op: 'drop_column',
        table,
        column: prev.name,
        destructive: true,
        description: `DROP column ${table}.${prev.name} and its data`,
      });
    }
  }

  for (const col of next.columns) {
    const prev = previousOf(col.name);
    if (
      col.references &&
      (!prev || !sameReference(prev.references, col.references) || renamed.has(col.name))
    ) {
      steps.push({
        op: 'add_foreign_key',
        table,
        column: col.name,
        references: col.references,
        destructive: false,
        description: `link ${table}.${col.name} to ${col.references.table}`,
      });
    }
  }
  for (const idx of next.indexes) {
    if (!oldIndexNames.has(idx.name)) {
      steps.push({
        op: 'create_index',
        table,
        index: idx,
        destructive: false,
        description: `create ${idx.unique ? 'unique ' : ''}index ${idx.name} on (${idx.columns.join(', ')})`,
      });
    }
  }

  const nextJoins = new Set(next.joinTables.map((j) => j.name));
  const oldJoins = new Set(old.joinTables.map((j) => j.name));
  for (const join of next.joinTables) if (!oldJoins.has(join.name)) steps.push(createJoin(join));
  for (const join of old.joinTables) if (!nextJoins.has(join.name)) steps.push(dropJoin(join));
  return steps;
}

function createJoin(join: JoinTableModel): PlanStep {
  return {
    op: 'create_join_table',
    join,
    destructive: false,
    description: `create link table ${join.name}`,
  };
}

function dropJoin(join: JoinTableModel): PlanStep {
  return {
    op: 'drop_join_table',
    name: join.name,
    destructive: true,
    description: `DROP link table ${join.name} and its links`,
  };
}

export function isDestructive(plan: PlanStep[]): boolean {
  return plan.some((s) => s.destructive);
}
