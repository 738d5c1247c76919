/**
 * Saved list views of the signed-in user (`/api/v1/me/views`): their own, and the ones shared with the
 * whole tenant. Only the owner (or an administrator, for a shared view) changes or deletes a view;
 * anyone who sees a view may make it their default for its entity. Someone else's private view is 404.
 */
import { AppError, isUuid } from '@tenon/core';
import { requireAccess } from '@tenon/design';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authOf, metamodelOf, type ServerDeps } from '../context.ts';
import { send } from '../envelope.ts';
import { ConsoleErrors } from '../me/me-errors.ts';
import {
  deleteView,
  findVisibleView,
  insertView,
  listViews,
  type SavedView,
  setDefaultView,
  updateView,
} from '../me/saved-views.repository.ts';
import { checkViewState, VIEW_STATE_SCHEMA, type ViewState } from '../me/view-state.ts';

type Create = { entity: string; name: string; shared?: boolean; isDefault?: boolean; state: ViewState };
type Patch = { name?: string; shared?: boolean; isDefault?: boolean; state?: ViewState };

const NAME = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

const createSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entity', 'name', 'state'],
  properties: {
    entity: { type: 'string', minLength: 1, maxLength: 100 },
    name: NAME,
    shared: { type: 'boolean' },
    isDefault: { type: 'boolean' },
    state: VIEW_STATE_SCHEMA,
  },
} as const;

const patchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: NAME,
    shared: { type: 'boolean' },
    isDefault: { type: 'boolean' },
    state: VIEW_STATE_SCHEMA,
  },
} as const;

/** The entity of a view, readable by the user (404 for an unknown entity, 403 without read). */
async function readableEntity(deps: ServerDeps, request: FastifyRequest, name: string) {
  const auth = authOf(request);
  const metamodel = await metamodelOf(deps, request);
  const entity = metamodel.get(name);
  requireAccess(auth.policy, entity.def.name, 'read');
  return { auth, metamodel, entity };
}

const isAdmin = (roles: readonly string[]) => roles.includes('admin');

/** What the console needs beside the stored view: may this user change it, is it theirs. */
const present = (view: SavedView, userId: string, roles: readonly string[]) => ({
  ...view,
  mine: view.ownerId === userId,
  editable: view.ownerId === userId || (view.shared && isAdmin(roles)),
});

export function meViewRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { entity?: string } }>('/api/v1/me/views', async (request, reply) => {
    const entityName = request.query.entity;
    if (!entityName)
      throw new AppError(ConsoleErrors.CONSOLE_VIEW_INVALID, { reason: 'entity is required (?entity=...)' });
    const { auth, entity } = await readableEntity(deps, request, entityName);
    const { userId } = auth.principal;
    const items = await listViews(deps.db, auth.tenant.schemaName, userId, entity.def.name);
    const presented = items.map((v) => present(v, userId, auth.principal.roles));
    return send(reply, { items: presented, total: items.length, page: 1, pageSize: items.length });
  });

  app.post<{ Body: Create }>(
    '/api/v1/me/views',
    { schema: { body: createSchema } },
    async (request, reply) => {
      const body = request.body;
      const { auth, metamodel, entity } = await readableEntity(deps, request, body.entity);
      const state = checkViewState(metamodel, entity, auth.policy, body.state);
      const schema = auth.tenant.schemaName;
      const { userId, username, roles } = auth.principal;
      const view = await deps.db.transaction(async (tx) => {
        const id = await insertView(tx, schema, {
          ownerId: userId,
          ownerName: username,
          entity: entity.def.name,
          name: body.name.trim(),
          shared: body.shared ?? false,
          state,
        });
        if (!id) throw new AppError(ConsoleErrors.CONSOLE_VIEW_NAME_TAKEN, { name: body.name.trim() });
        if (body.isDefault)
          await setDefaultView(tx, schema, { userId, entity: entity.def.name, viewId: id, isDefault: true });
        return findVisibleView(tx, schema, userId, id);
      });
      return send(reply, present(view!, userId, roles), 201);
    },
  );

  app.patch<{ Params: { id: string }; Body: Patch }>(
    '/api/v1/me/views/:id',
    { schema: { body: patchSchema } },
    async (request, reply) => {
      const auth = authOf(request);
      const { id } = request.params;
      const schema = auth.tenant.schemaName;
      const { userId, roles } = auth.principal;
      const body = request.body;
      const view = await deps.db.transaction(async (tx) => {
        const current = isUuid(id) ? await findVisibleView(tx, schema, userId, id, true) : null;
        if (!current) throw new AppError(ConsoleErrors.CONSOLE_VIEW_NOT_FOUND, { id });
        const { metamodel, entity } = await readableEntity(deps, request, current.entity);
        const changes = body.name !== undefined || body.shared !== undefined || body.state !== undefined;
        if (changes) {
          if (!present(current, userId, roles).editable)
            throw new AppError(ConsoleErrors.CONSOLE_VIEW_NOT_OWNER);
          const name = body.name?.trim() ?? current.name;
          const state = body.state
            ? checkViewState(metamodel, entity, auth.policy, body.state)
            : current.state;
          const saved = await updateView(tx, schema, {
            id,
            name,
            shared: body.shared ?? current.shared,
            state,
          });
          if (!saved) throw new AppError(ConsoleErrors.CONSOLE_VIEW_NAME_TAKEN, { name });
        }
        if (body.isDefault !== undefined)
          await setDefaultView(tx, schema, {
            userId,
            entity: current.entity,
            viewId: id,
            isDefault: body.isDefault,
          });
        return findVisibleView(tx, schema, userId, id);
      });
      return send(reply, present(view!, userId, roles));
    },
  );

  app.delete<{ Params: { id: string } }>('/api/v1/me/views/:id', async (request, reply) => {
    const auth = authOf(request);
    const { id } = request.params;
    const schema = auth.tenant.schemaName;
    const { userId, roles } = auth.principal;
    await deps.db.transaction(async (tx) => {
      const current = isUuid(id) ? await findVisibleView(tx, schema, userId, id, true) : null;
      if (!current) throw new AppError(ConsoleErrors.CONSOLE_VIEW_NOT_FOUND, { id });
      if (!present(current, userId, roles).editable) throw new AppError(ConsoleErrors.CONSOLE_VIEW_NOT_OWNER);
      await deleteView(tx, schema, id);
    });
    return send(reply, { id, deleted: true });
  });
}
