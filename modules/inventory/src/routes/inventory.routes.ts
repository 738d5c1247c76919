/**
 * Inventory's own endpoints under /api/v1/inventory: reports (balance and value as of a date,
 * availability, movement history, reorder suggestions, ABC, ageing, expiring lots), reservations
 * against a source document, barcode labels and scanned-code lookup. Each reads with the caller's
 * permission on the entity the answer is about; logic stays in the services.
 */
import { AppError, datePartsIn } from '@tenon/core';
import { getRecord } from '@tenon/design';
import { type ModuleRoutes, metamodelOf, requirePlatform, send } from '@tenon/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_CUTOFFS } from '../domain/abc.ts';
import type { Symbology } from '../domain/barcode.ts';
import { InventoryErrors } from '../errors.ts';
import { lookupScannedCode, renderLabel } from '../services/barcode-label.service.ts';
import { type BulkMove, bulkPostMoves } from '../services/bulk-post-moves.service.ts';
import { listRevaluations, runRevaluations } from '../services/revalue-stock.service.ts';
import {
  abcAnalysis,
  expiringLots,
  reorderSuggestions,
  stockAgeing,
} from '../services/stock-analysis.service.ts';
import {
  availabilityDetail,
  movementHistory,
  stockBalanceAsOf,
  stockValueAsOf,
} from '../services/stock-report.service.ts';
import {
  badInput,
  integer,
  oneOf,
  optionalDate,
  optionalId,
  type Query,
  requiredId,
  requiredText,
  share,
} from './query-params.ts';
import { reservationRoutes } from './reservation.routes.ts';

export const BASE = '/api/v1/inventory';

/** The tenant's business date in its time zone. */
export function businessToday(request: FastifyRequest, now: Date): string {
  const tz = request.auth?.tenant.settings.timeZone ?? 'UTC';
  const p = datePartsIn(now, tz);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Read access to `entity` (403 otherwise); the tenant schema to read from. */
function readerOf(request: FastifyRequest, entity: string): string {
  return requirePlatform(request, entity, 'read').tenant.schemaName;
}

const list = <T>(reply: FastifyReply, items: T[]) =>
  send(reply, { items, total: items.length, page: 1, pageSize: items.length });

const q = (request: FastifyRequest) => (request.query ?? {}) as Query;

export const inventoryRoutes: ModuleRoutes = (app, deps) => {
  const today = (request: FastifyRequest) => businessToday(request, deps.clock.now());

  app.get(`${BASE}/balance`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const query = q(request);
    const items = await stockBalanceAsOf(deps.db, schema, {
      asOf: optionalDate(query, 'asOf') ?? today(request),
      item: optionalId(query, 'item'),
      warehouse: optionalId(query, 'warehouse'),
      location: optionalId(query, 'location'),
      lot: optionalId(query, 'lot'),
    });
    return list(reply, items);
  });

  app.get(`${BASE}/value`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const query = q(request);
    const items = await stockValueAsOf(deps.db, schema, {
      asOf: optionalDate(query, 'asOf') ?? today(request),
      company: optionalId(query, 'company'),
    });
    return list(reply, items);
  });

  app.get(`${BASE}/availability`, async (request, reply) => {
    const schema = readerOf(request, 'item');
    const query = q(request);
    const detail = await availabilityDetail(deps.db, schema, {
      item: requiredId(query, 'item'),
      warehouse: optionalId(query, 'warehouse'),
      location: optionalId(query, 'location'),
      lot: optionalId(query, 'lot'),
    });
    return send(reply, detail);
  });

  app.get(`${BASE}/movements`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const query = q(request);
    const f = {
      item: optionalId(query, 'item'),
      lot: optionalId(query, 'lot'),
      serial: optionalId(query, 'serial'),
      limit: integer(query, 'limit', { min: 1, max: 10_000, fallback: 1000 }),
    };
    if (!f.item && !f.lot && !f.serial) throw badInput('item', 'item, lot or serial is required');
    return list(reply, await movementHistory(deps.db, schema, f));
  });

  app.get(`${BASE}/reorder-suggestions`, async (request, reply) => {
    const schema = readerOf(request, 'reorder_rule');
    const items = await reorderSuggestions(deps.db, schema, {
      warehouse: optionalId(q(request), 'warehouse'),
    });
    return list(reply, items);
  });

  app.get(`${BASE}/abc`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const query = q(request);
    const to = optionalDate(query, 'to') ?? today(request);
    const from = optionalDate(query, 'from') ?? `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    if (from > to) throw badInput('from', 'must not be after to');
    const cutoffs = { a: share(query, 'a', DEFAULT_CUTOFFS.a), b: share(query, 'b', DEFAULT_CUTOFFS.b) };
    if (cutoffs.a.gte(cutoffs.b)) throw badInput('a', 'must be below b');
    const by = oneOf(query, 'by', ['value', 'picks'] as const, 'value');
    return list(reply, await abcAnalysis(deps.db, schema, { from, to, by, cutoffs }));
  });

  app.get(`${BASE}/ageing`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const asOf = optionalDate(q(request), 'asOf') ?? today(request);
    return list(reply, await stockAgeing(deps.db, schema, { asOf }));
  });

  app.get(`${BASE}/expiring-lots`, async (request, reply) => {
    const schema = readerOf(request, 'lot');
    const query = q(request);
    const items = await expiringLots(deps.db, schema, {
      today: optionalDate(query, 'today') ?? today(request),
      withinDays: integer(query, 'withinDays', { min: 0, max: 3650, fallback: 30 }),
    });
    return list(reply, items);
  });

  app.get<{ Params: { id: string } }>(`${BASE}/items/:id/label`, async (request, reply) => {
    const auth = requirePlatform(request, 'item', 'read');
    const query = q(request);
    const format = oneOf(query, 'format', ['png', 'svg'] as const, 'png');
    const symbology = oneOf(query, 'symbology', ['ean13', 'code128', 'qr'] as const, 'code128');
    const caption = oneOf(query, 'caption', ['true', 'false'] as const, 'true') === 'true';
    const metamodel = await metamodelOf(deps, request);
    const item = await getRecord(deps.db, metamodel, metamodel.get('item'), request.params.id, {
      access: auth.policy,
    });
    if (!item)
      throw new AppError(InventoryErrors.INVENTORY_NOT_FOUND, { what: 'item', id: request.params.id });
    const barcode = typeof item.barcode === 'string' && item.barcode ? item.barcode : null;
    if (symbology === 'ean13' && !barcode) throw badInput('symbology', 'the item has no EAN-13 barcode');
    const label = await renderLabel({
      symbology: (symbology === 'qr' ? 'qrcode' : symbology) as Symbology,
      text: barcode ?? String(item.code),
      format,
      caption,
    });
    return reply.code(200).header('content-type', label.contentType).send(label.body);
  });

  app.get(`${BASE}/scan`, async (request, reply) => {
    const schema = readerOf(request, 'item');
    const code = requiredText(q(request), 'code', 200);
    const hit = await lookupScannedCode(deps.db, schema, code);
    if (hit && hit.entity !== 'item') requirePlatform(request, hit.entity, 'read');
    if (!hit) throw new AppError(InventoryErrors.INVENTORY_NOT_FOUND, { what: 'code', id: code });
    return send(reply, hit);
  });

  app.get(`${BASE}/revaluations`, async (request, reply) => {
    const schema = readerOf(request, 'stock_move');
    const status = oneOf(q(request), 'status', ['pending', 'done'] as const, 'pending');
    return list(reply, await listRevaluations(deps.db, schema, status));
  });

  // Resumes pending revaluations (each chunk its own transaction); also runs after each back-dated posting.
  app.post(`${BASE}/revaluations/run`, async (request, reply) => {
    const schema = requirePlatform(request, 'stock_move', 'update').tenant.schemaName;
    return send(reply, await runRevaluations(deps.db, schema));
  });

  // Bulk import of receipts and issues (body: { moves, batchSize? }); posting needs `stock_move: post`.
  app.post(`${BASE}/moves/bulk`, async (request, reply) => {
    const schema = requirePlatform(request, 'stock_move', 'post').tenant.schemaName;
    const body = request.body as { moves?: unknown; batchSize?: unknown } | null;
    if (!body || !Array.isArray(body.moves) || body.moves.length === 0 || body.moves.length > 100_000)
      throw badInput('moves', 'must be a list of 1-100000 moves');
    if (body.batchSize !== undefined && (!Number.isInteger(body.batchSize) || (body.batchSize as number) < 1))
      throw badInput('batchSize', 'must be a positive whole number');
    const moves = body.moves.map((m, i) => {
      if (typeof m !== 'object' || m === null || !Array.isArray((m as { lines?: unknown }).lines))
        throw badInput(`moves.${i}`, 'must be a move with lines');
      return m as BulkMove;
    });
    const result = await bulkPostMoves(deps.db, schema, {
      moves,
      batchSize: body.batchSize as number | undefined,
    });
    return send(reply, result, 201);
  });

  reservationRoutes(app, deps, today);
};
