/**
 * Reserving and releasing stock for a source document:
 * `POST /api/v1/inventory/reservations` and `POST /api/v1/inventory/reservations/release`.
 * The caller needs `update` on the source document's entity when the source type names one, or the
 * platform permission `$inventory: reserve` for a source outside the metamodel (decision 0011).
 */
import { isUuid } from '@tenon/core';
import { type ModuleRoutes, metamodelOf, requirePlatform, send } from '@tenon/server';
import type { FastifyRequest } from 'fastify';
import {
  type ReleaseInput,
  releaseReservationsIn,
  reservationSourceType,
} from '../services/release-reservation.service.ts';
import { reserveStock } from '../services/reserve-stock.service.ts';
import { badInput } from './query-params.ts';

type Deps = Parameters<ModuleRoutes>[1];
const BASE = '/api/v1/inventory/reservations';

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw badInput('body', 'must be a JSON object');
  return b as Record<string, unknown>;
}

function str(b: Record<string, unknown>, name: string, required: boolean, max = 200): string | null {
  const v = b[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw badInput(name, 'is required');
    return null;
  }
  if (typeof v !== 'string' || v.length > max)
    throw badInput(name, `must be text of at most ${max} characters`);
  return v;
}

/** May this caller reserve for (or release from) documents of `sourceType`? 403 otherwise. */
async function requireSourceAccess(deps: Deps, request: FastifyRequest, sourceType: string): Promise<void> {
  const metamodel = await metamodelOf(deps, request);
  if (metamodel.find(sourceType)) requirePlatform(request, sourceType, 'update');
  else requirePlatform(request, '$inventory', 'reserve');
}

export function reservationRoutes(
  app: Parameters<ModuleRoutes>[0],
  deps: Deps,
  today: (request: FastifyRequest) => string,
): void {
  app.post(BASE, async (request, reply) => {
    const auth = requirePlatform(request, 'item', 'read');
    const b = bodyOf(request);
    const sourceType = str(b, 'sourceType', true, 60)!;
    const sourceId = str(b, 'sourceId', true)!;
    await requireSourceAccess(deps, request, sourceType);
    if (b.allowPartial !== undefined && typeof b.allowPartial !== 'boolean')
      throw badInput('allowPartial', 'must be true or false');
    const input = {
      item: str(b, 'item', true)!,
      warehouse: str(b, 'warehouse', true)!,
      quantity: str(b, 'quantity', true, 40)!,
      lot: str(b, 'lot', false),
      serial: str(b, 'serial', false),
      sourceType,
      sourceId,
      allowPartial: b.allowPartial === true,
      today: today(request),
    };
    const result = await reserveStock(deps.db, auth.tenant.schemaName, input);
    return send(reply, result, 201);
  });

  app.post(`${BASE}/release`, async (request, reply) => {
    const auth = requirePlatform(request, 'item', 'read');
    const schema = auth.tenant.schemaName;
    const b = bodyOf(request);
    const id = str(b, 'id', false);
    if (id !== null && !isUuid(id)) throw badInput('id', 'must be an id');
    const input: ReleaseInput = id
      ? { id }
      : { sourceType: str(b, 'sourceType', true, 60)!, sourceId: str(b, 'sourceId', true)! };
    const result = await deps.db.transaction(async (tx) => {
      const sourceType = 'id' in input ? await reservationSourceType(tx, schema, input.id) : input.sourceType;
      // An unknown id falls through to the service's 409 INVENTORY_RESERVATION_NOT_ACTIVE.
      if (sourceType !== null) await requireSourceAccess(deps, request, sourceType);
      else requirePlatform(request, '$inventory', 'reserve');
      return releaseReservationsIn(tx, schema, input);
    });
    return send(reply, result);
  });
}
