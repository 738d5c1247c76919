/**
 * `npx tsx bench/kernel-dispatch.ts`: one full dispatch round (plan + apply in one transaction) over
 * 10,000 READY processes, 100 operators and 200 resources on PostgreSQL, beside pgbench's TPC-B-like
 * baseline taken in the same run. Target: < 2 s. A fresh tenant per run (dropped at the end).
 *
 *   BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/tenon_bench (never `test`)
 *   BENCH_PROCESSES      READY processes (default 10000)
 *   BENCH_OPERATORS      operators (default 100)
 *   BENCH_RESOURCES      resources (default 200)
 */
import { newId, systemClock } from '@tenon/core';
import {
  createTenant,
  migratePlatform,
  openPostgres,
  PLATFORM_SCHEMA,
  registerMigrations,
  sql,
} from '@tenon/db';
import {
  applyDefinitions,
  MetamodelCache,
  ObjectKindRegistry,
  SYSTEM_ACTOR,
  saveObject,
} from '@tenon/design';
import { identityMigrations } from '@tenon/identity';
import {
  BUILTIN_RESOURCE_TYPES,
  dispatchRound,
  KernelDefinitions,
  kernelMigrations,
  resourceEntity,
  resourceTypeKind,
  serviceKind,
} from '@tenon/kernel';
import { DISTURBED_CORES, meterCpu } from './cpu.ts';
import { benchDatabaseUrl, databaseName, ensureDatabase } from './database.ts';
import { runPgbench } from './pgbench.ts';

const log = (line: string) => console.error(line);
const num = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};

const ROLES = ['nurse', 'doctor', 'picker', 'fitter', 'agent'];
const SKILLS = ['laser', 'forklift', 'welding', 'phone'];
const TYPES = ['room', 'device', 'equipment', 'person'];

async function main() {
  const url = benchDatabaseUrl();
  const processes = num('BENCH_PROCESSES', 10_000);
  const operators = num('BENCH_OPERATORS', 100);
  const resources = num('BENCH_RESOURCES', 200);
  await ensureDatabase(url);
  registerMigrations(identityMigrations);
  registerMigrations(kernelMigrations);
  const db = await openPostgres({ connectionString: url, max: 4 });
  await migratePlatform(db);
  const tenant = await createTenant(db, { name: `bench_dispatch_${Date.now().toString(36)}` });
  const schema = tenant.schemaName;
  try {
    const metamodels = new MetamodelCache(db);
    await applyDefinitions(db, await metamodels.forTenant(tenant), [resourceEntity], {
      mode: 'upsert',
      source: 'module:kernel',
    });
    metamodels.invalidate(tenant.name);
    const metamodel = await metamodels.forTenant(tenant);
    const kinds = new ObjectKindRegistry();
    kinds.register(serviceKind);
    kinds.register(resourceTypeKind);
    const save = (kind: string, definition: Record<string, unknown>) =>
      saveObject(db, { kinds, metamodel, kind, definition, mode: 'upsert', user: 'bench', locale: 'en' });
    for (const t of BUILTIN_RESOURCE_TYPES) await save('resource_type', { ...t });
    // Ten services: a role, sometimes a skill, one or two resource types for 30-90 minutes.
    for (let i = 0; i < 10; i++) {
      await save('service', {
        name: `svc_${i}`,
        label: { en: `Service ${i}` },
        role: ROLES[i % ROLES.length],
        ...(i % 3 === 0 ? { skills: [SKILLS[i % SKILLS.length]] } : {}),
        durationMinutes: 30 + (i % 3) * 30,
        resources: [{ type: TYPES[i % 4] }, ...(i % 2 === 0 ? [{ type: TYPES[(i + 1) % 4] }] : [])],
      });
    }
    log(`data: ${processes} READY processes, ${operators} operators, ${resources} resources`);
    await db.transaction(async (tx) => {
      for (let i = 0; i < operators; i++) {
        const id = newId();
        await tx.run(sql`INSERT INTO ${sql.id(PLATFORM_SCHEMA, 'user')} (id, username, password_hash)
          VALUES (${id}, ${`op${i}@${tenant.name}`}, 'bench: no sign-in')`);
        await tx.run(sql`INSERT INTO ${sql.id(PLATFORM_SCHEMA, 'membership')} (user_id, tenant_id, roles, attributes)
          VALUES (${id}, ${tenant.id}, ${[ROLES[i % ROLES.length]!]}::text[],
            ${JSON.stringify({ skills: [SKILLS[i % SKILLS.length], SKILLS[(i + 1) % SKILLS.length]] })}::jsonb)`);
      }
      for (let i = 0; i < resources; i++) {
        await tx.run(sql`INSERT INTO ${sql.id(schema, 'resource')} (id, code, name, type, capacity, skills, active)
          VALUES (${newId()}, ${`R-${i}`}, ${`Resource ${i}`}, ${TYPES[i % 4]}, ${1 + (i % 3)}, '[]'::jsonb, true)`);
      }
      await tx.run(sql`INSERT INTO ${sql.id(schema, '_process')}
          (pid, service, state, role, skills, priority, due_at, ready_since, context)
        SELECT gen_random_uuid(), 'svc_' || (g % 10), 'READY', (${ROLES}::text[])[1 + (g % 10) % 5],
          CASE WHEN (g % 10) % 3 = 0 THEN ARRAY[(${SKILLS}::text[])[1 + (g % 10) % 4]] ELSE '{}'::text[] END,
          g % 101, CASE WHEN g % 4 = 0 THEN now() + (g % 600) * interval '1 minute' END,
          now() - (g % 240) * interval '1 minute', '{}'
        FROM generate_series(1, ${processes}) g`);
    });
    await db.run(sql`ANALYZE ${sql.id(schema, '_process')}`);
    const definitions = await new KernelDefinitions(db, kinds).forTenant(tenant);
    const env = { metamodel, definitions, clock: systemClock, actor: SYSTEM_ACTOR };

    const meter = meterCpu(databaseName(url));
    const started = performance.now();
    const round = await dispatchRound(db, env);
    const ms = performance.now() - started;
    const cpu = meter.stop(1);
    const reasons: Record<string, number> = {};
    for (const w of round.waiting) reasons[w.code] = (reasons[w.code] ?? 0) + 1;

    const pgMeter = meterCpu(databaseName(url));
    const pgbench = await runPgbench(url, { clients: 4, threads: 2, seconds: 10 }, log);
    const pgCpu = pgMeter.stop(1);
    const result = {
      processes,
      operators,
      resources,
      considered: round.considered,
      assigned: round.assigned.length,
      allocations: round.assigned.reduce((n, a) => n + a.allocations.length, 0),
      waiting: reasons,
      roundMs: Math.round(ms),
      timings: round.timings,
      otherCores: cpu.otherCores,
      pgbench: { tps: pgbench.tps, latencyMs: pgbench.latencyMs, otherCores: pgCpu.otherCores },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      [
        '| READY / operators / resources | assigned | allocations | round ms (target < 2000) | other load (cores) | pgbench tps (4 clients) |',
        '|---|---|---|---|---|---|',
        `| ${processes} / ${operators} / ${resources} | ${result.assigned} | ${result.allocations} | ${result.roundMs} | ${cpu.otherCores?.toFixed(2) ?? 'n/a'}${(cpu.otherCores ?? 0) > DISTURBED_CORES ? ' (disturbed)' : ''} | ${pgbench.tps.toFixed(0)} |`,
      ].join('\n'),
    );
    if (ms >= 2000) process.exitCode = 1;
  } finally {
    await db.run(sql`DELETE FROM ${sql.id(PLATFORM_SCHEMA, 'membership')} WHERE tenant_id = ${tenant.id}`);
    await db.run(
      sql`DELETE FROM ${sql.id(PLATFORM_SCHEMA, 'user')} WHERE username LIKE ${`op%@${tenant.name}`}`,
    );
    await db.run(sql`DROP SCHEMA ${sql.id(schema)} CASCADE`);
    await db.run(sql`DELETE FROM ${sql.id(PLATFORM_SCHEMA, 'tenant')} WHERE id = ${tenant.id}`);
    await db.close();
  }
}

await main();
