/**
 * `Idempotency-Key` on POST: the key is claimed in the same transaction as the work, so a retry
 * with the same key and body gets the first response, and the same key with another body is a 422.
 */
import { createHash } from 'node:crypto';
import { AppError, CoreErrors } from '@tenon/core';
import { type Database, sql, type Tx } from '@tenon/db';
import type { FieldCipher } from '@tenon/design';
import type { FastifyRequest } from 'fastify';

export type Outcome = { status: number; data: unknown; headers?: Record<string, string> };

export async function runIdempotent(
  db: Database,
  schema: string,
  request: FastifyRequest,
  work: (tx: Tx) => Promise<Outcome>,
  /** The tenant's field cipher: kept responses are sealed, as they may hold encrypted fields in clear. */
  seal: FieldCipher | null = null,
): Promise<Outcome & { replayed: boolean }> {
  const header = request.headers['idempotency-key'];
  const key = typeof header === 'string' && header !== '' ? header : null;
  if (!key) return { ...(await db.transaction(work)), replayed: false };
  if (key.length > 200)
    throw new AppError(CoreErrors.BAD_REQUEST, { reason: 'Idempotency-Key is at most 200 characters' });
  // Keys are the caller's own: another user sending the same key and body must not get (or skip the
  // access check of) the first user's response.
  const who = request.auth?.principal.userId ?? '-';
  const scoped = `${who} ${request.method} ${request.routeOptions.url ?? ''} ${JSON.stringify(request.params)} ${key}`;
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
      const kept = first.response as Outcome | { sealed: string };
      const response = 'sealed' in kept ? (JSON.parse(seal!.decrypt(kept.sealed)) as Outcome) : kept;
      return { ...response, replayed: true };
    }
    const outcome = await work(tx);
    const kept = seal ? { sealed: seal.encrypt(JSON.stringify(outcome)) } : outcome;
    await tx.run(
      sql`UPDATE ${table} SET status = ${outcome.status}, response = ${JSON.stringify(kept)}::jsonb WHERE key = ${scoped}`,
    );
    return { ...outcome, replayed: false };
  });
}
