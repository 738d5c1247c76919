/** Prometheus metrics: per-route latency histograms and the SQL statements sent. */
import type { Database } from '@tenon/db';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { clusterMetricsOf } from './cluster-metrics.ts';

export function installMetrics(app: FastifyInstance, db: Database): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  let reported = 0;
  const statements = new Counter({
    name: 'tenon_sql_statements_total',
    help: 'SQL statements sent to the database',
    registers: [registry],
    collect() {
      const now = db.statementCount();
      this.inc(now - reported);
      reported = now;
    },
  });
  void statements;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  // In a cluster worker (TENON_WORKERS), the figures of every worker process.
  const allWorkers = clusterMetricsOf(registry);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return allWorkers ? allWorkers() : registry.metrics();
  });
  return registry;
}
