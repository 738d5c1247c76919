import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from '@tenon/db';
import { type ColumnType, type TableModel, tableModelOf } from '../ddl/physical.ts';
import { isDestructive, isWidening, type PlanStep, planTableChange } from '../ddl/plan.ts';
import { renderStep } from '../ddl/render.ts';
import type { EntityDef, FieldDef } from '../types.ts';

const f = (name: string, kind: FieldDef['kind'], extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label: { en: name },
  kind,
  ...extra,
});

const table = (fields: FieldDef[], extra: Partial<EntityDef> = {}): TableModel =>
  tableModelOf({ name: 'item', label: { en: 'Item' }, fields, ...extra });

/** `op:column` (or the index / join table) of each step, in order. */
const ops = (steps: PlanStep[]) =>
  steps.map((s) => {
    switch (s.op) {
      case 'create_table':
        return `create_table:${s.table.name}`;
      case 'drop_table':
        return `drop_table:${s.table}`;
      case 'rename_column':
        return `rename_column:${s.from}>${s.to}`;
      case 'create_index':
        return `create_index:${s.index.name}`;
      case 'drop_index':
        return `drop_index:${s.index}`;
      case 'create_join_table':
        return `create_join_table:${s.join.name}`;
      case 'drop_join_table':
        return `drop_join_table:${s.name}`;
      case 'add_column':
        return `add_column:${s.column.name}`;
      default:
        return `${s.op}:${s.column}`;
    }
  });

const sqlOf = (step: PlanStep) => renderStep('t_demo', step).map((s) => compile(s).text);

const base = [f('name', 'string', { maxLength: 50 }), f('qty', 'decimal', { precision: 10, scale: 2 })];

describe('planTableChange', () => {
  it('creates a table with system columns, then its join tables', () => {
    const steps = planTableChange(
      null,
      table([...base, f('tags', 'multi_link', { target: 'tag' }), f('owner', 'link', { target: 'user' })]),
    );
    assert.deepEqual(ops(steps), ['create_table:item', 'create_join_table:item__tags']);
    assert.equal(isDestructive(steps), false);
    const create = steps[0]!;
    assert.equal(create.op, 'create_table');
    if (create.op !== 'create_table') return;
    assert.deepEqual(
      create.table.columns.map((c) => c.name),
      ['id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version', 'name', 'qty', 'owner'],
    );
    const [ddl, fk, ix] = sqlOf(create);
    assert.match(ddl!, /^CREATE TABLE "t_demo"\."item" \("id" uuid PRIMARY KEY NOT NULL, /);
    assert.match(ddl!, /"name" varchar\(50\), "qty" numeric\(10,2\), "owner" uuid\)$/);
    assert.match(
      fk!,
      /ADD CONSTRAINT "fk_item_owner"\s+FOREIGN KEY \("owner"\) REFERENCES "t_demo"\."user" \("id"\)\s+ON DELETE RESTRICT/,
    );
    assert.equal(ix, 'CREATE INDEX "ix_item_owner" ON "t_demo"."item" ("owner")');
  });

  it('drops join tables, then the table, destructively', () => {
    const steps = planTableChange(table([...base, f('tags', 'multi_link', { target: 'tag' })]), null);
    assert.deepEqual(ops(steps), ['drop_join_table:item__tags', 'drop_table:item']);
    assert.ok(steps.every((s) => s.destructive));
  });

  it('plans nothing when nothing changed', () => {
    assert.deepEqual(planTableChange(table(base), table(base)), []);
    assert.deepEqual(planTableChange(null, null), []);
    // labels and other non-physical properties do not change the table
    assert.deepEqual(
      planTableChange(
        table(base),
        table([{ ...base[0]!, label: { en: 'Renamed label' }, hidden: true }, base[1]!]),
      ),
      [],
    );
  });

  it('adds an optional column', () => {
    const steps = planTableChange(table(base), table([...base, f('note', 'text')]));
    assert.deepEqual(ops(steps), ['add_column:note']);
    assert.equal(steps[0]!.destructive, false);
    assert.deepEqual(sqlOf(steps[0]!), ['ALTER TABLE "t_demo"."item" ADD COLUMN "note" text']);
  });

  it('adds a required column with a default by backfilling existing rows', () => {
    const steps = planTableChange(
      table(base),
      table([...base, f('level', 'select', { required: true, default: 'B', options: [] })]),
    );
    assert.deepEqual(ops(steps), ['add_column:level']);
    assert.equal(steps[0]!.destructive, false);
    assert.match(steps[0]!.description, /not null/);
    const statements = renderStep('t_demo', steps[0]!).map(compile);
    assert.deepEqual(
      statements.map((s) => s.text),
      [
        'ALTER TABLE "t_demo"."item" ADD COLUMN "level" text',
        'UPDATE "t_demo"."item" SET "level" = $1::text WHERE "level" IS NULL',
        'ALTER TABLE "t_demo"."item" ALTER COLUMN "level" SET NOT NULL',
      ],
    );
    assert.deepEqual(statements[1]!.params, ['B']);
  });

  it('backfills no literal "$user": existing rows have no author to fill in', () => {
    const steps = planTableChange(table(base), table([...base, f('owner', 'string', { default: '$user' })]));
    assert.deepEqual(sqlOf(steps[0]!), ['ALTER TABLE "t_demo"."item" ADD COLUMN "owner" varchar(255)']);
  });

  it('adds a required column without a default as NOT NULL with no backfill', () => {
    const steps = planTableChange(table(base), table([...base, f('code', 'string', { required: true })]));
    assert.deepEqual(sqlOf(steps[0]!), [
      'ALTER TABLE "t_demo"."item" ADD COLUMN "code" varchar(255)',
      'ALTER TABLE "t_demo"."item" ALTER COLUMN "code" SET NOT NULL',
    ]);
  });

  const retype = (from: FieldDef, to: FieldDef) => planTableChange(table([from]), table([to]));

  const str = (maxLength?: number) => f('a', 'string', maxLength ? { maxLength } : {});
  const dec = (precision?: number, scale?: number) => f('a', 'decimal', { precision, scale });
  const of = (kind: FieldDef['kind']) => f('a', kind);
  const widenings: [string, FieldDef, FieldDef][] = [
    ['varchar(50) -> varchar(100)', str(50), str(100)],
    ['varchar -> text', str(50), of('text')],
    ['integer -> decimal(38,10)', of('integer'), dec(38, 10)],
    ['decimal(10,2) -> decimal(12,4)', dec(10, 2), dec(12, 4)],
    ['decimal(10,2) -> decimal(11,2)', dec(10, 2), dec(11, 2)],
    ['decimal(10,2) -> money numeric(19,4)', dec(10, 2), of('money')],
    [
      'sequence varchar(64) -> string varchar(255)',
      f('a', 'sequence', { sequence: { pattern: '{SEQ:3}' } }),
      str(),
    ],
  ];
  for (const [title, from, to] of widenings) {
    it(`widens ${title} without data loss`, () => {
      const steps = retype(from, to);
      const alter = steps.find((s) => s.op === 'alter_type');
      assert.ok(alter, JSON.stringify(ops(steps)));
      assert.equal(alter.destructive, false);
      assert.match(alter.description, /^widen /);
      assert.equal(isDestructive(steps), false);
    });
  }

  const narrowings: [string, FieldDef, FieldDef][] = [
    ['varchar(100) -> varchar(50)', str(100), str(50)],
    ['text -> varchar', of('text'), str()],
    ['decimal -> integer', dec(), of('integer')],
    ['integer -> decimal(18,6): 12 integer digits < 19', of('integer'), dec()],
    ['decimal(10,2) -> decimal(10,4): fewer integer digits', dec(10, 2), dec(10, 4)],
    ['decimal(10,2) -> decimal(12,1): fewer decimals', dec(10, 2), dec(12, 1)],
    ['string -> integer', str(), of('integer')],
    ['text -> date', of('text'), of('date')],
    ['datetime -> date', of('datetime'), of('date')],
  ];
  for (const [title, from, to] of narrowings) {
    it(`flags ${title} as destructive`, () => {
      const steps = retype(from, to);
      assert.deepEqual(ops(steps), ['alter_type:a']);
      assert.equal(steps[0]!.destructive, true);
      assert.match(steps[0]!.description, /NARROW/);
      assert.equal(isDestructive(steps), true);
    });
  }

  it('renders a type change with an explicit cast', () => {
    const [step] = retype(f('a', 'string', { maxLength: 50 }), f('a', 'text'));
    assert.deepEqual(sqlOf(step!), [
      'ALTER TABLE "t_demo"."item" ALTER COLUMN "a" TYPE text USING "a"::text',
    ]);
  });

  it('drops a removed column destructively', () => {
    const steps = planTableChange(table(base), table([base[0]!]));
    assert.deepEqual(ops(steps), ['drop_column:qty']);
    assert.equal(steps[0]!.destructive, true);
    assert.match(steps[0]!.description, /DROP column item\.qty/);
    assert.deepEqual(sqlOf(steps[0]!), ['ALTER TABLE "t_demo"."item" DROP COLUMN "qty"']);
  });

  it('renames explicitly instead of dropping and adding', () => {
    const steps = planTableChange(table(base), table([f('title', 'string', { maxLength: 50 }), base[1]!]), {
      name: 'title',
    });
    assert.deepEqual(ops(steps), ['rename_column:name>title']);
    assert.equal(isDestructive(steps), false);
    assert.deepEqual(sqlOf(steps[0]!), ['ALTER TABLE "t_demo"."item" RENAME COLUMN "name" TO "title"']);
  });

  it('without renamedFrom a new name is a drop plus an add', () => {
    const steps = planTableChange(table(base), table([f('title', 'string', { maxLength: 50 }), base[1]!]));
    assert.deepEqual(ops(steps), ['add_column:title', 'drop_column:name']);
    assert.equal(isDestructive(steps), true);
  });

  it('renames and widens in one change, the rename first', () => {
    const steps = planTableChange(table(base), table([f('title', 'text'), base[1]!]), { name: 'title' });
    assert.deepEqual(ops(steps), ['rename_column:name>title', 'alter_type:title']);
    assert.equal(isDestructive(steps), false);
  });

  it('ignores a rename whose source or target does not fit', () => {
    // unknown source: a plain add
    assert.deepEqual(ops(planTableChange(table(base), table([...base, f('x', 'text')]), { nope: 'x' })), [
      'add_column:x',
    ]);
    // the target already exists: the old column is dropped, not renamed over it
    const steps = planTableChange(table(base), table([f('qty', 'decimal', { precision: 10, scale: 2 })]), {
      name: 'qty',
    });
    assert.deepEqual(ops(steps), ['drop_column:name']);
  });

  it('rebuilds the index and foreign key of a renamed column under their new names', () => {
    const before = table([f('owner', 'link', { target: 'user' }), f('code', 'string', { unique: true })]);
    const after = table([f('holder', 'link', { target: 'user' }), f('ref', 'string', { unique: true })]);
    const steps = planTableChange(before, after, { owner: 'holder', code: 'ref' });
    assert.deepEqual(ops(steps), [
      'rename_column:owner>holder',
      'rename_column:code>ref',
      'drop_index:ix_item_owner',
      'drop_index:ux_item_code',
      'drop_foreign_key:owner',
      'add_foreign_key:holder',
      'create_index:ix_item_holder',
      'create_index:ux_item_ref',
    ]);
    assert.equal(isDestructive(steps), false);
    const dropFk = steps.find((s) => s.op === 'drop_foreign_key')!;
    assert.deepEqual(sqlOf(dropFk), [
      'ALTER TABLE "t_demo"."item" DROP CONSTRAINT IF EXISTS "fk_item_owner"',
    ]);
  });

  it('adds and drops indexes and unique constraints', () => {
    const plain = table(base);
    const indexed = table([{ ...base[0]!, index: true }, base[1]!], { unique: [['name', 'qty']] });
    const up = planTableChange(plain, indexed);
    assert.deepEqual(ops(up), ['create_index:ix_item_name', 'create_index:ux_item_name_qty']);
    assert.equal(isDestructive(up), false);
    assert.deepEqual(sqlOf(up[1]!), [
      'CREATE UNIQUE INDEX "ux_item_name_qty" ON "t_demo"."item" ("name", "qty")',
    ]);
    const down = planTableChange(indexed, plain);
    assert.deepEqual(ops(down), ['drop_index:ix_item_name', 'drop_index:ux_item_name_qty']);
    assert.equal(isDestructive(down), false);
    assert.deepEqual(sqlOf(down[0]!), ['DROP INDEX "t_demo"."ix_item_name"']);
    // index -> unique swaps the index
    const unique = table([{ ...base[0]!, unique: true }, base[1]!]);
    assert.deepEqual(ops(planTableChange(table([{ ...base[0]!, index: true }, base[1]!]), unique)), [
      'drop_index:ix_item_name',
      'create_index:ux_item_name',
    ]);
  });

  it('adds a link as a column, a foreign key and an index', () => {
    const steps = planTableChange(
      table(base),
      table([...base, f('customer', 'link', { target: 'customer' })]),
    );
    assert.deepEqual(ops(steps), [
      'add_column:customer',
      'add_foreign_key:customer',
      'create_index:ix_item_customer',
    ]);
    assert.equal(isDestructive(steps), false);
    const fk = steps[1]!;
    assert.equal(fk.op, 'add_foreign_key');
    if (fk.op === 'add_foreign_key')
      assert.deepEqual(fk.references, { table: 'customer', column: 'id', onDelete: 'restrict' });
  });

  it('replaces the foreign key when onDelete or the target changes', () => {
    const link = (extra: Partial<FieldDef>) =>
      table([f('customer', 'link', { target: 'customer', ...extra })]);
    assert.deepEqual(ops(planTableChange(link({}), link({ onDelete: 'cascade' }))), [
      'drop_foreign_key:customer',
      'add_foreign_key:customer',
    ]);
    // set_null forces the column to allow empty values
    assert.deepEqual(
      ops(planTableChange(link({ required: true }), link({ required: true, onDelete: 'set_null' }))),
      ['drop_foreign_key:customer', 'drop_not_null:customer', 'add_foreign_key:customer'],
    );
    assert.deepEqual(ops(planTableChange(link({}), link({ target: 'supplier' }))), [
      'drop_foreign_key:customer',
      'add_foreign_key:customer',
    ]);
  });

  it('drops the foreign key and index before dropping a link column', () => {
    const steps = planTableChange(
      table([...base, f('customer', 'link', { target: 'customer' })]),
      table(base),
    );
    assert.deepEqual(ops(steps), [
      'drop_index:ix_item_customer',
      'drop_foreign_key:customer',
      'drop_column:customer',
    ]);
    assert.deepEqual(
      steps.map((s) => s.destructive),
      [false, false, true],
    );
  });

  it('creates and drops the join table of a multi_link field', () => {
    const tags = f('tags', 'multi_link', { target: 'tag' });
    const add = planTableChange(table(base), table([...base, tags]));
    assert.deepEqual(ops(add), ['create_join_table:item__tags']);
    assert.equal(isDestructive(add), false);
    const [createJoin, createIx] = sqlOf(add[0]!);
    assert.match(createJoin!, /CREATE TABLE "t_demo"\."item__tags"/);
    assert.match(createJoin!, /REFERENCES "t_demo"\."item" \(id\) ON DELETE CASCADE/);
    assert.match(createJoin!, /REFERENCES "t_demo"\."tag" \(id\) ON DELETE RESTRICT/);
    assert.equal(createIx, 'CREATE INDEX "ix_item__tags_target" ON "t_demo"."item__tags" (target_id)');
    const drop = planTableChange(table([...base, tags]), table(base));
    assert.deepEqual(ops(drop), ['drop_join_table:item__tags']);
    assert.equal(drop[0]!.destructive, true);
  });

  it('makes a column optional or required without flagging data loss', () => {
    const optional = table(base);
    const required = table([{ ...base[0]!, required: true }, base[1]!]);
    const relax = planTableChange(required, optional);
    assert.deepEqual(ops(relax), ['drop_not_null:name']);
    assert.deepEqual(sqlOf(relax[0]!), ['ALTER TABLE "t_demo"."item" ALTER COLUMN "name" DROP NOT NULL']);
    assert.deepEqual(ops(planTableChange(optional, required)), ['set_not_null:name']);
    assert.equal(isDestructive(relax), false);
  });

  it('orders a mixed change: renames, drops of indexes and keys, columns, then keys and indexes', () => {
    const before = table([
      f('a', 'string', { index: true }),
      f('b', 'link', { target: 'customer' }),
      f('c', 'integer'),
    ]);
    const after = table([
      f('a2', 'string', { index: true }),
      f('c', 'integer', { unique: true }),
      f('d', 'boolean'),
    ]);
    const steps = planTableChange(before, after, { a: 'a2' });
    assert.deepEqual(ops(steps), [
      'rename_column:a>a2',
      'drop_index:ix_item_a',
      'drop_index:ix_item_b',
      'drop_foreign_key:b',
      'add_column:d',
      'drop_column:b',
      'create_index:ix_item_a2',
      'create_index:ux_item_c',
    ]);
    assert.deepEqual(
      steps.filter((s) => s.destructive).map((s) => s.op),
      ['drop_column'],
    );
  });
});

describe('isWidening', () => {
  const v = (length: number): ColumnType => ({ base: 'varchar', length });
  const n = (precision: number, scale: number): ColumnType => ({ base: 'numeric', precision, scale });
  const t = (base: string) => ({ base }) as ColumnType;
  const cases: [ColumnType, ColumnType, boolean][] = [
    [v(10), v(10), true],
    [v(10), v(11), true],
    [v(10), v(9), false],
    [v(10), t('text'), true],
    [t('text'), v(10_000_000), false],
    [t('text'), t('text'), true],
    [t('integer'), t('bigint'), true],
    [t('bigint'), t('integer'), false],
    [t('integer'), n(10, 0), true],
    [t('integer'), n(9, 0), false],
    [t('bigint'), n(19, 0), true],
    [t('bigint'), n(38, 19), true],
    [t('bigint'), n(38, 20), false],
    [t('bigint'), n(18, 6), false],
    [n(10, 2), n(12, 4), true],
    [n(10, 2), n(10, 2), true],
    [n(10, 2), n(11, 3), true],
    [n(10, 2), n(10, 3), false],
    [n(10, 2), n(12, 1), false],
    [n(10, 2), t('bigint'), false],
    [n(10, 2), t('text'), false],
    [t('date'), t('timestamptz'), false],
    [t('timestamptz'), t('date'), false],
    [t('boolean'), t('text'), false],
    [t('uuid'), t('text'), false],
    [t('jsonb'), t('text'), false],
    [t('bigint'), v(20), false],
  ];
  const show = (c: ColumnType) =>
    c.base === 'varchar'
      ? `varchar(${c.length})`
      : c.base === 'numeric'
        ? `numeric(${c.precision},${c.scale})`
        : c.base;
  for (const [from, to, expected] of cases) {
    it(`${show(from)} -> ${show(to)}: ${expected}`, () => assert.equal(isWidening(from, to), expected));
  }
});
