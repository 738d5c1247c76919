/** Attachments: files are stored under `<dataDir>/files/<tenant>/`, their metadata in the tenant's `_file` table. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, CoreErrors, isUuid, newId } from '@tenon/core';
import { sql } from '@tenon/db';
import { filterSql } from '@tenon/design';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, type ServerDeps, tenantOf } from '../context.ts';
import { send } from '../envelope.ts';

/** The default; `hardening.fileLimit` (TENON_FILE_LIMIT_MB) sets another. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/**
 * A file may be downloaded by whoever uploaded it, or by a user who may read a record it is attached
 * to (the entity's read permission and row condition apply), so no file is reachable around access.
 */
async function mayDownload(deps: ServerDeps, request: FastifyRequest, file: FileRow): Promise<boolean> {
  const auth = authOf(request);
  if (file.created_by === auth.principal.userId) return true;
  const metamodel = await deps.metamodels.forTenant(auth.tenant);
  for (const stored of metamodel.definitions()) {
    const entity = metamodel.find(stored.def.name);
    if (!entity) continue;
    for (const field of entity.columnFields) {
      if (field.kind !== 'attachment') continue;
      const decision = auth.policy.decide(entity.def.name, 'read');
      if (!decision.allowed || decision.hiddenFields.has(field.name)) continue;
      const { rows } = await deps.db.run(sql`
        SELECT 1 FROM ${sql.id(entity.tenant.schemaName, entity.def.name)} AS t
        WHERE ${sql.id('t', field.name)} = ${file.id} AND ${filterSql(metamodel, entity, 't', decision.rowFilter)} LIMIT 1`);
      if (rows.length > 0) return true;
    }
  }
  return false;
}

type FileRow = {
  id: string;
  name: string;
  content_type: string;
  size: string;
  sha256: string;
  storage_path: string;
  created_by: string | null;
};

/** Busboy's errors (no boundary, truncated body...) are plain Errors: the client's fault, a 400. */
export function malformedMultipart(err: unknown): never {
  if (err instanceof AppError || (err as { statusCode?: number }).statusCode) throw err;
  throw new AppError(CoreErrors.BAD_REQUEST, {
    reason: `malformed multipart body: ${(err as Error).message}`,
  });
}

export function fileRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const maxFileBytes = deps.hardening?.fileLimit ?? MAX_FILE_BYTES;
  app.post('/api/v1/files', async (request, reply) => {
    const tenant = tenantOf(request);
    const part = await request
      .file({ limits: { fileSize: maxFileBytes, files: 1 } })
      .catch(malformedMultipart);
    if (!part)
      throw new AppError(CoreErrors.BAD_REQUEST, {
        reason: 'send one file as multipart/form-data field "file"',
      });
    const content = await part.toBuffer().catch(malformedMultipart);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const relative = join(tenant.name, sha256.slice(0, 2), sha256);
    const absolute = join(deps.dataDir, 'files', relative);
    await mkdir(join(deps.dataDir, 'files', tenant.name, sha256.slice(0, 2)), { recursive: true });
    const temp = `${absolute}.${newId()}.tmp`;
    await writeFile(temp, content);
    await rename(temp, absolute);
    const id = newId();
    const name = part.filename.slice(0, 255) || 'file';
    await deps.db.run(sql`
      INSERT INTO ${sql.id(tenant.schemaName, '_file')} (id, name, content_type, size, sha256, storage_path, created_by)
      VALUES (${id}, ${name}, ${part.mimetype}, ${content.length}, ${sha256}, ${relative}, ${authOf(request).principal.userId})`);
    return send(reply, { id, name, contentType: part.mimetype, size: content.length, sha256 }, 201);
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id', async (request, reply) => {
    const tenant = tenantOf(request);
    const id = request.params.id;
    const { rows } = isUuid(id)
      ? await deps.db.run<FileRow>(sql`SELECT * FROM ${sql.id(tenant.schemaName, '_file')} WHERE id = ${id}`)
      : { rows: [] };
    const file = rows[0];
    if (!file || !(await mayDownload(deps, request, file)))
      throw new AppError(CoreErrors.NOT_FOUND, { what: `file ${id}` });
    reply.header('content-type', file.content_type);
    reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    return reply.send(createReadStream(join(deps.dataDir, 'files', file.storage_path)));
  });
}
