/**
 * `POST /api/v1/:entity/_bulk`: `{ ids: [...] }` or `{ all: true, filter }` (every record the filter
 * matches within the user's row condition), and `operation`: `delete`, `update` with `patch`, or
 * `action` with `action` (and `body`). 200 with the ids done, or 422 with one error per failing row
 * and nothing written (decision 0029).
 */
import { AppError } from '@tenon/core';
import { type FilterNode, MetaErrors } from '@tenon/design';
import type { FastifyInstance } from 'fastify';
import { type BulkOperation, type BulkSelection, MAX_BULK_ROWS, runBulk } from '../bulk/bulk.ts';
import { recordContext, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { ConsoleErrors } from '../me/me-errors.ts';

type Body = {
  ids?: string[];
  all?: boolean;
  filter?: object | null;
  operation: 'delete' | 'update' | 'action';
  patch?: Record<string, unknown>;
  action?: string;
  body?: unknown;
};

const bodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['operation'],
  properties: {
    ids: { type: 'array', minItems: 1, maxItems: MAX_BULK_ROWS, items: { type: 'string', maxLength: 100 } },
    all: { type: 'boolean' },
    filter: { type: ['object', 'null'] },
    operation: { enum: ['delete', 'update', 'action'] },
    patch: { type: 'object', minProperties: 1 },
    action: { type: 'string', minLength: 1, maxLength: 100 },
    body: {},
  },
} as const;

const bad = (reason: string) => new AppError(ConsoleErrors.CONSOLE_BULK_INVALID, { reason });

function selectionOf(body: Body): BulkSelection {
  if (body.ids && body.all) throw bad('give ids or all, not both');
  if (body.ids) return { ids: body.ids };
  if (body.all) return { filter: (body.filter ?? null) as FilterNode | null };
  throw bad('give ids, or all: true with an optional filter');
}

function operationOf(body: Body): BulkOperation {
  if (body.operation === 'update') {
    if (!body.patch) throw bad('update needs a patch');
    return { kind: 'update', patch: body.patch };
  }
  if (body.operation === 'action') {
    if (!body.action) throw bad('action needs the action name');
    return { kind: 'action', action: body.action, body: body.body ?? {} };
  }
  return { kind: 'delete' };
}

export function bulkRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post<{ Params: { entity: string }; Body: Body }>(
    '/api/v1/:entity/_bulk',
    { schema: { body: bodySchema } },
    async (request, reply) => {
      const ctx = await recordContext(deps, request);
      const entity = ctx.metamodel.get(request.params.entity);
      if (entity.def.childOf)
        throw new AppError(MetaErrors.META_ENTITY_IS_CHILD, { entity: entity.def.name });
      const outcome = await runBulk(ctx, {
        entity,
        actions: deps.actions,
        selection: selectionOf(request.body),
        operation: operationOf(request.body),
      });
      return send(reply, outcome);
    },
  );
}
