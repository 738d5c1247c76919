/** Export and import of an entity's records: `GET /api/v1/{entity}/_export`, `POST /api/v1/{entity}/_import`. */
import { AppError, CoreErrors } from '@tenon/core';
import {
  type CompiledEntity,
  EXPORT_FORMATS,
  type ExportFormat,
  exportRecords,
  importRecords,
  MetaErrors,
  parseListQuery,
  type RecordContext,
  requireAccess,
} from '@tenon/design';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordContext, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { malformedMultipart } from './files.routes.ts';

/** An import file is read whole, then checked row by row: a smaller bound than attachments have. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

type EntityParams = { entity: string };

async function resolve(
  deps: ServerDeps,
  request: FastifyRequest,
  name: string,
): Promise<{ ctx: RecordContext; entity: CompiledEntity }> {
  const ctx = await recordContext(deps, request);
  const entity = ctx.metamodel.get(name);
  if (entity.def.childOf) throw new AppError(MetaErrors.META_ENTITY_IS_CHILD, { entity: name });
  return { ctx, entity };
}

function flag(query: Record<string, unknown>, name: string): boolean {
  const value = query[name];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new AppError(CoreErrors.BAD_REQUEST, { reason: `${name} must be true or false` });
}

export function transferRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Params: EntityParams }>('/api/v1/:entity/_export', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    const { format = 'csv', page, pageSize, cursor, ...rest } = request.query as Record<string, unknown>;
    if (!EXPORT_FORMATS.includes(format as ExportFormat))
      throw new AppError(CoreErrors.BAD_REQUEST, { reason: 'format must be csv or xlsx' });
    const query = parseListQuery(entity, rest);
    const result = await exportRecords(ctx, { entity, query, format: format as ExportFormat });
    return reply
      .header('content-type', result.contentType)
      .header('content-disposition', `attachment; filename="${result.filename}"`)
      .header('x-total-count', String(result.rows))
      .send(result.body);
  });

  app.post<{ Params: EntityParams }>('/api/v1/:entity/_import', async (request, reply) => {
    const { ctx, entity } = await resolve(deps, request, request.params.entity);
    const query = request.query as Record<string, unknown>;
    const dryRun = flag(query, 'dryRun');
    const skipInvalid = flag(query, 'skipInvalid');
    // Refused before the upload is read.
    requireAccess(ctx.access, entity.def.name, 'import');
    const part = request.isMultipart()
      ? await request.file({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }).catch(malformedMultipart)
      : undefined;
    if (part?.fieldname !== 'file')
      throw new AppError(CoreErrors.BAD_REQUEST, {
        reason: 'send the CSV or .xlsx file as multipart/form-data field "file"',
      });
    const file = await part.toBuffer().catch((err: { code?: string }) => {
      if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(CoreErrors.PAYLOAD_TOO_LARGE);
      return malformedMultipart(err);
    });
    const result = await importRecords(ctx, { entity, file, dryRun, skipInvalid });
    return send(reply, result, !dryRun && result.created > 0 ? 201 : 200);
  });
}

/** The OpenAPI paths of one entity's export and import (`buildOpenApi` adds them). */
export function transferPaths(
  name: string,
  title: string,
  /** The list's filter, sort and fields parameters. */
  queryParams: unknown[],
  errors: Record<string, unknown>,
): Record<string, unknown> {
  const flagParam = (param: string, description: string) => ({
    name: param,
    in: 'query',
    schema: { type: 'boolean', default: false },
    description,
  });
  const result = { description: 'Rows created, invalid rows with their errors (row 1 is the header)' };
  return {
    [`/api/v1/${name}/_export`]: {
      get: {
        tags: [name],
        summary: `Export ${title} (CSV or Excel)`,
        operationId: `export_${name}`,
        parameters: [
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['csv', 'xlsx'], default: 'csv' } },
          ...queryParams,
        ],
        responses: {
          '200': {
            description: 'Every matching record (at most 100,000), masked and filtered as for reading',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
            },
          },
          ...errors,
        },
      },
    },
    [`/api/v1/${name}/_import`]: {
      post: {
        tags: [name],
        summary: `Import ${title} from CSV or Excel`,
        operationId: `import_${name}`,
        parameters: [
          flagParam('dryRun', 'Check every row and report; write nothing'),
          flagParam(
            'skipInvalid',
            'Create the valid rows and list the invalid ones (else one bad row imports nothing)',
          ),
        ],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: { file: { type: 'string', format: 'binary' } },
              },
            },
          },
        },
        responses: {
          '200': result,
          '201': result,
          ...errors,
          '422': { description: 'Invalid rows (IMPORT_ROWS_INVALID): nothing was imported' },
        },
      },
    },
  };
}
