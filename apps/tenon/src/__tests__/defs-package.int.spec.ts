/**
 * Definition packages through the composition root: export a tenant's definitions as JSON and YAML,
 * import them into other tenants (identical entities whose CRUD works), re-import as a no-op; and
 * demo data that loads once. Runs on PostgreSQL when TEST_DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedClock, newId } from '@tenon/core';
import { sql, type Tenant } from '@tenon/db';
import { applyDefinitions, createRecord, definitionHistory, systemContext } from '@tenon/design';
import YAML from 'yaml';
import { ensureTenant, openSystem, type System } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { exportDefinitions, importDefinitions } from '../defs-package.ts';
import { loadDemo } from '../demo/load-demo.ts';

const zh = (text: string, en?: string) => ({ 'zh-CN': text, ...(en ? { en } : {}) });

/** A designer's work: inheritance, links, lines, many-to-many, numbering, formulas, defaults. */
const designed: unknown[] = [
  {
    name: 'party',
    label: zh('往来单位'),
    abstract: true,
    fields: [
      { name: 'code', label: zh('编码'), kind: 'string', unique: true, maxLength: 20 },
      { name: 'phone', label: zh('电话'), kind: 'string' },
    ],
  },
  { label: zh('客户'), extends: 'party', fields: [{ label: zh('名称'), kind: 'string', required: true }] },
  { name: 'tag', label: zh('标签', 'Tag'), fields: [{ name: 'title', label: zh('标题'), kind: 'string' }] },
  {
    name: 'order_line',
    label: zh('订单行'),
    childOf: 'sales_doc',
    fields: [
      { name: 'qty', label: zh('数量'), kind: 'quantity', required: true },
      { name: 'price', label: zh('单价'), kind: 'money', required: true },
      {
        name: 'amount',
        label: zh('金额'),
        kind: 'formula',
        resultKind: 'decimal',
        expression: 'qty * price',
      },
    ],
  },
  {
    name: 'sales_doc',
    label: zh('销售单', 'Sales document'),
    fields: [
      { name: 'no', label: zh('单号'), kind: 'sequence', sequence: { pattern: 'SD-{YYYY}-{SEQ:4}' } },
      { name: 'customer', label: zh('客户'), kind: 'link', target: 'ke_hu', required: true },
      {
        name: 'status',
        label: zh('状态'),
        kind: 'select',
        default: 'draft',
        options: [
          { value: 'draft', label: zh('草稿') },
          { value: 'done', label: zh('完成') },
        ],
      },
      { name: 'lines', label: zh('明细'), kind: 'children', target: 'order_line' },
      { name: 'tags', label: zh('标签'), kind: 'multi_link', target: 'tag' },
    ],
    unique: [['customer', 'no']],
  },
];

describe('definition packages and demo data', () => {
  let system: System;
  let dir: string;
  const suffix = newId().replaceAll('-', '').slice(-12);
  const tenantName = (prefix: string) => `${prefix}${suffix}`;

  /** The tenant's own definitions (built-in modules' entities are registered from code, not exported). */
  const definitionsOf = async (tenant: Tenant) =>
    (await system.metamodels.forTenant(tenant))
      .definitions()
      .filter((d) => !d.def.module)
      .map((d) => ({ ...d }));
  const byName = <T extends { def: { name: string } }>(list: T[]) =>
    Object.fromEntries(list.map((d) => [d.def.name, d]));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tenon-defs-'));
    const url = process.env.TEST_DATABASE_URL;
    system = await openSystem(
      loadConfig({
        TENON_DATA_DIR: join(dir, 'data'),
        LOG_LEVEL: 'warn',
        ...(url ? { DATABASE_URL: url } : {}),
      }),
    );
    const a = await ensureTenant(system, tenantName('a'));
    const metamodel = await system.metamodels.forTenant(a);
    await applyDefinitions(system.db, metamodel, designed, { mode: 'create', user: 'designer' });
    system.metamodels.invalidate(a.name);
    // a later edit, so that A's versions are not all 1
    const edited = { name: 'tag', fields: [{ name: 'title', label: zh('标题'), kind: 'text' }] };
    await applyDefinitions(system.db, await system.metamodels.forTenant(a), [edited], { mode: 'update' });
    system.metamodels.invalidate(a.name);
  });
  after(async () => {
    await system.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the same definitions as JSON and as YAML', async () => {
    const a = await ensureTenant(system, tenantName('a'));
    assert.equal(await exportDefinitions(system, a.name, join(dir, 'defs.json')), 5);
    assert.equal(await exportDefinitions(system, a.name, join(dir, 'defs.yaml')), 5);
    const json = JSON.parse(readFileSync(join(dir, 'defs.json'), 'utf8'));
    const yamlText = readFileSync(join(dir, 'defs.yaml'), 'utf8');
    assert.ok(!yamlText.trimStart().startsWith('{'), 'the .yaml file is YAML, not JSON');
    const yaml = YAML.parse(yamlText);
    assert.equal(json.format, 'tenon.definitions');
    assert.equal(json.version, 1);
    assert.equal(json.tenant, a.name);
    assert.deepEqual(yaml.entities, json.entities);
    assert.deepEqual(
      json.entities.map((e: { name: string }) => e.name),
      ['ke_hu', 'order_line', 'party', 'sales_doc', 'tag'],
    );
    const stored = (await definitionsOf(a)).map((d) => d.def);
    assert.deepEqual(json.entities, stored);
  });

  for (const [target, file] of [
    ['b', 'defs.json'],
    ['c', 'defs.yaml'],
  ] as const) {
    it(`imports ${file} into tenant ${target}: identical entities, version 1, CRUD works`, async () => {
      const result = await importDefinitions(system, tenantName(target), join(dir, file), {
        dryRun: false,
        confirm: false,
      });
      assert.equal(result.applied, true);
      assert.ok(result.plan.every((p) => !p.destructive));
      const a = byName(await definitionsOf(await ensureTenant(system, tenantName('a'))));
      const tenant = await ensureTenant(system, tenantName(target));
      const imported = byName(await definitionsOf(tenant));
      assert.deepEqual(Object.keys(imported).sort(), Object.keys(a).sort());
      for (const [name, d] of Object.entries(imported)) {
        assert.deepEqual(d.def, a[name]!.def, name);
        assert.equal(d.version, 1);
        assert.equal(d.updatedBy, 'cli');
      }
      const history = await definitionHistory(system.db, tenant.schemaName, 'sales_doc');
      assert.deepEqual(
        history.map((h) => [h.version, h.changedBy]),
        [[1, 'cli']],
      );

      const metamodel = await system.metamodels.forTenant(tenant);
      const ctx = systemContext({
        db: system.db,
        metamodel,
        locale: 'zh-CN',
        actor: { userId: null, username: 'tester' },
        clock: fixedClock('2025-03-04T05:06:07Z'),
      });
      const customer = await createRecord(ctx, metamodel.get('ke_hu'), {
        code: 'C1',
        ming_cheng: '上海精密',
      });
      const tag = await createRecord(ctx, metamodel.get('tag'), { title: '重点' });
      const doc = await createRecord(ctx, metamodel.get('sales_doc'), {
        customer: customer.id,
        tags: [tag.id],
        lines: [{ qty: '2.5', price: '4.00' }],
      });
      assert.equal(doc.no, 'SD-2025-0001');
      assert.equal(doc.status, 'draft');
      assert.deepEqual(doc.tags, [tag.id]);
      const [line] = doc.lines as Record<string, unknown>[];
      assert.equal(line!.amount, '10');
      // the unique constraint came along too
      await assert.rejects(createRecord(ctx, metamodel.get('ke_hu'), { code: 'C1', ming_cheng: 'x' }), {
        code: 'UNIQUE_VIOLATION',
      });
    });
  }

  it('importing the same package again is a no-op', async () => {
    const b = await ensureTenant(system, tenantName('b'));
    const before = await definitionsOf(b);
    for (const file of ['defs.json', 'defs.yaml']) {
      const result = await importDefinitions(system, b.name, join(dir, file), {
        dryRun: false,
        confirm: false,
      });
      assert.equal(result.applied, false, file);
      assert.deepEqual(result.plan, []);
      assert.ok(result.entities.every((e) => !e.changed && e.version === 1));
    }
    assert.deepEqual(await definitionsOf(b), before);
    assert.equal((await definitionHistory(system.db, b.schemaName, 'tag')).length, 1);
  });

  it('a dry-run import plans without changing the tenant; a foreign file is refused', async () => {
    const d = await ensureTenant(system, tenantName('d'));
    const result = await importDefinitions(system, d.name, join(dir, 'defs.yaml'), {
      dryRun: true,
      confirm: false,
    });
    assert.equal(result.applied, false);
    assert.deepEqual(
      result.plan.filter((p) => p.op === 'create_table').map((p) => p.entity),
      ['ke_hu', 'order_line', 'sales_doc', 'tag'],
    );
    assert.deepEqual(await definitionsOf(d), []);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ entities: [] }));
    await assert.rejects(
      importDefinitions(system, d.name, join(dir, 'other.json'), { dryRun: false, confirm: false }),
      /not a Tenon definition package/,
    );
  });

  it('loadDemo loads once and is idempotent', async () => {
    const name = tenantName('demo');
    const count = async (tenant: Tenant, table: string) =>
      (
        await system.db.run<{ c: number }>(
          sql`SELECT count(*)::int AS c FROM ${sql.id(tenant.schemaName, table)}`,
        )
      ).rows[0]!.c;
    assert.deepEqual(await loadDemo(system, name), { created: true });
    const tenant = await ensureTenant(system, name);
    const counts = async () => ({
      customer: await count(tenant, 'customer'),
      product: await count(tenant, 'product'),
      sales_order: await count(tenant, 'sales_order'),
      sales_order_line: await count(tenant, 'sales_order_line'),
    });
    const first = await counts();
    assert.deepEqual(first, { customer: 3, product: 3, sales_order: 1, sales_order_line: 2 });
    // Kernel demo: two customer visits to plan; the demo order's review comes from the rule once the
    // kernel delivers the order's creation event.
    const processes = async () =>
      (
        await system.db.run<{ service: string }>(
          sql`SELECT service FROM ${sql.id(tenant.schemaName, '_process')}
            WHERE service IN ('customer_visit', 'order_review') ORDER BY service`,
        )
      ).rows.map((r) => r.service);
    assert.deepEqual(await processes(), ['customer_visit', 'customer_visit']);
    await system.kernel.start({
      metamodels: system.metamodels,
      actions: system.actions,
      cron: false,
      dispatchEveryMs: 0,
      tenants: async () => [tenant],
    });
    try {
      await system.kernel.dispatcher!.drain(tenant.schemaName);
    } finally {
      await system.kernel.stop();
    }
    assert.deepEqual(await processes(), ['customer_visit', 'customer_visit', 'order_review']);
    const versions = (await definitionsOf(tenant)).map((d) => [d.def.name, d.version]);
    assert.deepEqual(await loadDemo(system, name), { created: false });
    assert.deepEqual(await counts(), first);
    assert.deepEqual(
      (await definitionsOf(tenant)).map((d) => [d.def.name, d.version]),
      versions,
    );
  });
});
