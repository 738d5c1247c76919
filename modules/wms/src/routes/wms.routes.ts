/**
 * The warehouse's own endpoints (beside the generated record API and the declared actions):
 * waving orders by a rule, the documents as PDF, the scanner's next pick, and the supplier portal.
 */
import { AppError, isUuid } from '@tenon/core';
import { createRecordIn, getRecord, requireAccess, SYSTEM_ACCESS } from '@tenon/design';
import { lookupScannedCode } from '@tenon/inventory';
import { authOf, type ModuleRoutes, recordContext, send } from '@tenon/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deliveryNotePdf, packingListPdf, routeSheetPdf } from '../documents/wms-documents.ts';
import { WmsErrors } from '../domain/errors.ts';
import type { WaveRule } from '../domain/waves.ts';
import { warehouseBoard } from '../services/board.service.ts';
import { reconcileConsignment } from '../services/consignment.service.ts';
import { createWaves } from '../services/create-waves.service.ts';
import { crossDockDemand } from '../services/cross-dock.service.ts';
import { inTransit } from '../services/in-transit.service.ts';
import { scanKanban } from '../services/kanban.service.ts';
import { nextPick } from '../services/next-pick.service.ts';
import { vmiPositions } from '../services/portal.service.ts';
import { bad, businessDate, scopeOf } from '../services/records.ts';
import { planFaceReplenishment } from '../services/replenish.service.ts';

type Params = { id: string };

const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

function pdf(reply: FastifyReply, name: string, data: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${name}.pdf"`)
    .send(data);
}

/** The portal user's supplier; an administrator may name one with `?supplier=`. */
function supplierOf(request: FastifyRequest): string {
  const auth = authOf(request);
  const own = auth.principal.attributes.supplier;
  if (typeof own === 'string' && own) return own;
  const asked = (request.query as Record<string, string | undefined>).supplier;
  if (asked && requireAccess(auth.policy, 'vmi_agreement', 'update')) return asked;
  throw new AppError(WmsErrors.WMS_PORTAL_NO_SUPPLIER);
}

export const wmsRoutes: ModuleRoutes = (app, deps) => {
  app.post('/api/v1/wms/waves', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'wave', 'create');
    const b = body(request);
    if (typeof b.warehouse !== 'string') throw bad('warehouse', 'is required');
    const rule = (b.rule ?? { groupBy: ['carrier'] }) as WaveRule;
    if (!Array.isArray(rule.groupBy)) throw bad('rule.groupBy', 'must be a list');
    const result = await deps.db.transaction((tx) =>
      createWaves(scopeOf(tx, { ...ctx, access: SYSTEM_ACCESS }), {
        warehouse: b.warehouse as string,
        rule,
        ...(typeof b.pickKind === 'string' ? { pickKind: b.pickKind } : {}),
        ...(typeof b.ordersPerList === 'number' ? { ordersPerList: b.ordersPerList } : {}),
      }),
    );
    return send(reply, result, 201);
  });

  app.post('/api/v1/wms/replenishment', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'move_task', 'create');
    const warehouse = body(request).warehouse;
    if (typeof warehouse !== 'string' || !isUuid(warehouse)) throw bad('warehouse', 'must be an id');
    const result = await deps.db.transaction((tx) =>
      planFaceReplenishment(
        scopeOf(tx, { ...ctx, access: SYSTEM_ACCESS }),
        ctx.metamodel.get('move_task'),
        warehouse,
      ),
    );
    return send(reply, result, 201);
  });

  /** At receiving: the orders waiting for the scanned item of an ASN (a cross-dock suggestion). */
  app.get<{ Querystring: { asn?: string; code?: string } }>(
    '/api/v1/wms/cross-dock',
    async (request, reply) => {
      const ctx = await recordContext(deps, request);
      requireAccess(ctx.access, 'asn', 'read');
      const { asn, code } = request.query;
      if (!asn || !isUuid(asn)) throw bad('asn', 'must be an id');
      if (!code) throw bad('code', 'scan an item');
      const schema = ctx.metamodel.tenant.schemaName;
      const doc = await getRecord(deps.db, ctx.metamodel, ctx.metamodel.get('asn'), asn);
      if (!doc) throw bad('asn', `no record ${asn}`);
      const hit = await lookupScannedCode(deps.db, schema, code);
      if (!hit?.item) throw new AppError(WmsErrors.WMS_SCAN_MISMATCH, { code, expected: 'an item' });
      const items = await crossDockDemand(deps.db, schema, {
        warehouse: doc.warehouse as string,
        item: hit.item,
      });
      return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
    },
  );

  /** Scanning a kanban card raises its signal for the next Milk-Run. */
  app.post('/api/v1/wms/kanban/scan', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'kanban_signal', 'create');
    const signal = await deps.db.transaction((tx) =>
      scanKanban(scopeOf(tx, { ...ctx, access: SYSTEM_ACCESS }), body(request).code),
    );
    return send(reply, signal, 201);
  });

  /** Consigned units that left by other ways than shipping are recorded as consumed. */
  app.post('/api/v1/wms/consignment/reconcile', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'consignment_entry', 'create');
    const warehouse = body(request).warehouse;
    if (typeof warehouse !== 'string' || !isUuid(warehouse)) throw bad('warehouse', 'must be an id');
    const items = await deps.db.transaction((tx) =>
      reconcileConsignment(
        scopeOf(tx, { ...ctx, access: SYSTEM_ACCESS }),
        warehouse,
        `reconcile:${ctx.clock.now().toISOString()}`,
      ),
    );
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  const document = (path: string, entity: string, render: typeof packingListPdf, name: string) =>
    app.get<{ Params: Params }>(path, async (request, reply) => {
      const ctx = await recordContext(deps, request);
      requireAccess(ctx.access, entity, 'read');
      const data = await render({ db: deps.db, schema: ctx.metamodel.tenant.schemaName }, request.params.id);
      return pdf(reply, `${name}-${request.params.id}`, data);
    });
  document(
    '/api/v1/wms/delivery_order/:id/packing-list.pdf',
    'delivery_order',
    packingListPdf,
    'packing-list',
  );
  document(
    '/api/v1/wms/delivery_order/:id/delivery-note.pdf',
    'delivery_order',
    deliveryNotePdf,
    'delivery-note',
  );
  document('/api/v1/wms/milk_run/:id/route-sheet.pdf', 'milk_run', routeSheetPdf, 'route-sheet');

  app.get<{ Params: Params }>('/api/v1/wms/pick_list/:id/next', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'pick_list', 'read');
    return send(reply, await nextPick(deps.db, ctx.metamodel.tenant.schemaName, request.params.id));
  });

  app.get<{ Querystring: { warehouse?: string } }>('/api/v1/wms/board', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'wave', 'read');
    const warehouse = request.query.warehouse;
    if (!warehouse || !isUuid(warehouse)) throw bad('warehouse', 'must be an id');
    return send(reply, await warehouseBoard(deps.db, ctx.metamodel.tenant.schemaName, warehouse));
  });

  app.get<{ Querystring: { warehouse?: string } }>('/api/v1/wms/in-transit', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'transfer_order', 'read');
    const warehouse = request.query.warehouse;
    if (warehouse !== undefined && !isUuid(warehouse)) throw bad('warehouse', 'must be an id');
    const items = await inTransit(deps.db, ctx.metamodel.tenant.schemaName, warehouse);
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  app.get('/api/v1/wms/portal/vmi', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    requireAccess(ctx.access, 'vmi_agreement', 'read');
    const items = await vmiPositions(
      deps.db,
      ctx.metamodel.tenant.schemaName,
      supplierOf(request),
      businessDate(ctx),
    );
    return send(reply, { items, total: items.length, page: 1, pageSize: items.length });
  });

  /** A replenishment ASN of the suggested quantities, created as the portal user (its row condition applies). */
  app.post('/api/v1/wms/portal/replenish', async (request, reply) => {
    const ctx = await recordContext(deps, request);
    const supplier = supplierOf(request);
    const b = body(request);
    const positions = (
      await vmiPositions(deps.db, ctx.metamodel.tenant.schemaName, supplier, businessDate(ctx))
    ).filter(
      (p) => p.suggested !== '0' && (!Array.isArray(b.agreements) || b.agreements.includes(p.agreement)),
    );
    if (positions.length === 0) throw bad('agreements', 'nothing needs replenishing');
    const warehouse = positions[0]!.warehouse;
    const expected = typeof b.expectedDate === 'string' ? b.expectedDate : businessDate(ctx);
    const asn = await deps.db.transaction((tx) =>
      createRecordIn(tx, ctx, ctx.metamodel.find('asn')!, {
        supplier,
        warehouse,
        expected_date: expected,
        source: 'vmi',
        lines: positions
          .filter((p) => p.warehouse === warehouse)
          .map((p) => ({ item: p.item, quantity: p.suggested })),
      }),
    );
    return send(reply, asn, 201);
  });
};
