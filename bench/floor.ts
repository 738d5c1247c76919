/**
 * `npx tsx bench/floor.ts`: the floor under the API figures. A bare Fastify server (no logger, no
 * hooks, no envelope) with `pg` and the same pool size answers the same three requests on the same
 * data set, driven by the same autocannon settings. Run `npm run bench` first (it loads the data).
 * What Tenon adds is the difference between this and `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import autocannon, { type Request } from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { meterCpu, waitForQuiet } from './cpu.ts';
import { benchDatabaseUrl, databaseName } from './database.ts';
import { CUSTOMER, createBodies, ORDER } from './entities.ts';

const SCHEMA = 't_bench';
const COLUMNS = [
  'title',
  'notes',
  'line_count',
  'weight',
  'amount',
  'qty',
  'is_priority',
  'due_date',
  'placed_at',
  'status',
  'customer',
  'attributes',
  'email',
  'discount_rate',
];

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const url = benchDatabaseUrl();
  const database = databaseName(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const order = `"${SCHEMA}"."${ORDER}"`;
  const ids = await pool.query<{ id: string }>(
    `SELECT id FROM ${order} TABLESAMPLE BERNOULLI (0.4) REPEATABLE (7)`,
  );
  const customers = await pool.query<{ id: string }>(
    `SELECT id FROM "${SCHEMA}"."${CUSTOMER}" ORDER BY name`,
  );
  const insert = `INSERT INTO ${order} (id, number, ${COLUMNS.join(', ')})
    VALUES ($1, $2, ${COLUMNS.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING *`;

  const app = Fastify({ logger: false });
  app.get('/noop', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>(
    '/read/:id',
    async (request) =>
      (await pool.query(`SELECT * FROM ${order} WHERE id = $1`, [request.params.id])).rows[0],
  );
  app.get(
    '/list',
    async () =>
      (
        await pool.query(
          `SELECT * FROM ${order} WHERE status = $1 AND amount >= $2 ORDER BY placed_at DESC, id LIMIT 50`,
          ['open', '100'],
        )
      ).rows,
  );
  app.post<{ Body: Record<string, unknown> }>('/create', async (request, reply) => {
    const values = COLUMNS.map((c) =>
      c === 'attributes' ? JSON.stringify(request.body[c]) : request.body[c],
    );
    const id = randomUUID();
    const { rows } = await pool.query(insert, [id, `FLOOR-${id}`, ...values]);
    return reply.code(201).send(rows[0]);
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  const json = { 'content-type': 'application/json' };
  const scenarios: [string, Request[]][] = [
    ['no-op (no SQL)', [{ method: 'GET', path: '/noop' }]],
    ['read by id', ids.rows.map((r) => ({ method: 'GET', path: `/read/${r.id}` }))],
    ['filtered list (50)', [{ method: 'GET', path: '/list' }]],
    [
      'create (1 autocommit INSERT)',
      createBodies(customers.rows.map((r) => r.id)).map((body) => ({
        method: 'POST',
        path: '/create',
        body,
        headers: json,
      })),
    ],
  ];
  try {
    console.log(
      '| Floor: bare Fastify + pg | Conns | req/s | p50 ms | p99 ms | non-2xx | Node CPU µs/req | PG CPU µs/req | Other load (cores) |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [title, requests] of scenarios) {
      await autocannon({ url: address, connections: 8, duration: 2, workers: 1, requests });
      await waitForQuiet(database, { maxSeconds: 1800, log: (line) => console.error(line) });
      const meter = meterCpu(database);
      const r = await autocannon({ url: address, connections, duration: seconds, workers: 1, requests });
      const cpu = meter.stop(r.requests.sent);
      const us = (n: number | null) => (n === null ? 'n/a' : n.toFixed(0));
      console.log(
        `| ${title} | ${connections} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ` +
          `${r.non2xx + r.errors} | ${us(cpu.tenonUs)} | ${us(cpu.postgresUs)} | ${cpu.otherCores?.toFixed(2) ?? 'n/a'} |`,
      );
    }
  } finally {
    await app.close();
    await pool.query(`DELETE FROM ${order} WHERE number LIKE 'FLOOR-%'`);
    await pool.query(`VACUUM (ANALYZE) ${order}`);
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
