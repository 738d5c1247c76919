import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../context.ts';

export function healthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready', database: deps.db.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: deps.db.kind });
    }
  });
}
