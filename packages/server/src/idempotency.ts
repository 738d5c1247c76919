/**
 * `Idempotency-Key` on POST: the key is claimed in the same transaction as the work, so a retry
 * with the same key and body gets the first response, and the same key with another body is a 422.
 */
import { createHash } from 'node:crypto';
import { AppError, CoreErrors } from '@tenon/core';
import { type Database, sql, type Tx } from '@tenon/db';
import type { FastifyRequest } from 'fastify';

export type Outcome = { status: number; data: unknown; headers?: Record<string, string> };

export async function runIdempotent(
  db: Database,
  schema: string,
  request: FastifyRequest,
  work: (tx: Tx) => Promise<Outcome>,
): Promise<Outcome & { replayed: boolean }> {
  const header = request.headers['idempotency-key'];
  const key = typeof header === 'string' && header !== '' ? header : null;
  if (!key) return { ...(await db.transaction(work)), replayed: false };
  if (key.length > 200)
    throw new AppError(CoreErrors.BAD_REQUEST, { reason: 'Idempotency-Key is at most 200 characters' });
  const scoped = `${request.method} ${request.routeOptions.url ?? ''} ${JSON.stringify(request.params)} ${key}`;
  const hash = createHash('sha256')
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
  const table = sql.id(schema, '_idempotency');
  return db.transaction(async (tx) => {
    const claimed = await tx.run(
      sql`INSERT INTO ${table} (key, request_hash) VALUES (${scoped}, ${hash}) ON CONFLICT (key) DO NOTHING RETURNING key`,
    );
    if (claimed.rows.length === 0) {
      const { rows } = await tx.run<{ request_hash: string; status: number; response: Outcome }>(
        sql`SELECT request_hash, status, response FROM ${table} WHERE key = ${scoped}`,
      );
      const first = rows[0]!;
      if (first.request_hash !== hash) throw new AppError(CoreErrors.IDEMPOTENCY_KEY_REUSED);
      return { ...first.response, replayed: true };
    }
    const outcome = await work(tx);
    await tx.run(
      sql`UPDATE ${table} SET status = ${outcome.status}, response = ${JSON.stringify(outcome)}::jsonb WHERE key = ${scoped}`,
    );
    return { ...outcome, replayed: false };
  });
}
