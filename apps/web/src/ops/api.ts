/** The operations screens' calls: warehouse and inventory endpoints and the records they read. */
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client.ts';
import type { RecordData } from '../api/types.ts';

export type NextPick = {
  sequence: number;
  bin: string;
  item: string;
  itemCode: string;
  itemName: string;
  barcode: string | null;
  quantity: string;
  remaining: number;
} | null;

export type ScanHit = {
  entity: 'item' | 'lot' | 'serial_number' | 'location';
  id: string;
  item: string | null;
};
export type BalanceRow = {
  item: string;
  warehouse: string;
  location: string;
  lot: string | null;
  serial: string | null;
  quantity: string;
  value: string;
};
export type MovementRow = Record<string, string | null>;

export const opsKeys = {
  records: (entity: string, params: string) => ['ops', 'records', entity, params] as const,
  record: (entity: string, id: string) => ['ops', 'record', entity, id] as const,
  next: (list: string) => ['ops', 'next-pick', list] as const,
  balance: (params: string) => ['ops', 'balance', params] as const,
  movements: (params: string) => ['ops', 'movements', params] as const,
};

/** Records of an entity by a plain query string (`filter[status][in]=open,picking&sort=number`). */
export const listOf = (entity: string, params: string) =>
  api<Page<RecordData>>(`/api/v1/${entity}?pageSize=500&${params}`).then((p) => p.items);

export function useRecords(entity: string, params = '', enabled = true) {
  return useQuery({
    queryKey: opsKeys.records(entity, params),
    queryFn: () => listOf(entity, params),
    enabled,
  });
}

export const recordOf = (entity: string, id: string) => api<RecordData>(`/api/v1/${entity}/${id}`);

export function useRecord(entity: string, id: string | null) {
  return useQuery({
    queryKey: opsKeys.record(entity, id ?? ''),
    queryFn: () => recordOf(entity, id as string),
    enabled: !!id,
  });
}

export const runAction = (entity: string, id: string, action: string, body: unknown = {}) =>
  api<RecordData>(`/api/v1/${entity}/${id}/${action}`, { method: 'POST', body });

export const nextPick = (list: string) => api<NextPick>(`/api/v1/wms/pick_list/${list}/next`);

export const scanCode = (code: string) =>
  api<ScanHit>(`/api/v1/inventory/scan?code=${encodeURIComponent(code)}`);

/** The id of the bin with this code in the warehouse, or null (codes are unique per warehouse only). */
export const binOfWarehouse = async (warehouse: string, code: string): Promise<string | null> => {
  if (!warehouse) return null;
  const q = `filter[warehouse][eq]=${warehouse}&filter[code][eq]=${encodeURIComponent(code.trim())}`;
  const found = await listOf('location', q).catch(() => []);
  return (found[0]?.id as string | undefined) ?? null;
};

export type Waiting = { order: string; number: string; customer: string; line: string; quantity: string };

/** Orders waiting for the scanned item of an ASN (a cross-dock suggestion). */
export const crossDockDemand = (asn: string, code: string) =>
  api<Page<Waiting>>(`/api/v1/wms/cross-dock?asn=${asn}&code=${encodeURIComponent(code)}`).then(
    (p) => p.items,
  );

export type InTransitRow = {
  transferOrder: string;
  number: string;
  fromWarehouse: string;
  toWarehouse: string;
  item: string;
  lot: string | null;
  quantity: string;
  shippedAt: string | null;
  expectedDate: string | null;
};

/** Lines of shipped transfers still on the road. */
export function useInTransit() {
  return useQuery({
    queryKey: ['ops', 'in-transit'],
    queryFn: () => api<Page<InTransitRow>>('/api/v1/wms/in-transit').then((p) => p.items),
  });
}

/** Scanning a kanban card raises its refill signal. */
export const raiseKanban = (code: string) =>
  api<RecordData>('/api/v1/wms/kanban/scan', { method: 'POST', body: { code } });

export const stockBalance = (params: string) =>
  api<Page<BalanceRow>>(`/api/v1/inventory/balance?${params}`).then((p) => p.items);

export const movements = (params: string) =>
  api<Page<MovementRow>>(`/api/v1/inventory/movements?${params}`).then((p) => p.items);

/** id -> "code name" of the records of an entity, for reports that answer ids. */
export function useTitles(entity: string, sortBy = 'code', enabled = true): Map<string, string> {
  const q = useRecords(entity, `sort=${sortBy}`, enabled);
  const map = new Map<string, string>();
  for (const r of q.data ?? []) {
    const title = [r.code, r.name].filter((x) => typeof x === 'string' && x).join(' ');
    map.set(r.id as string, title || String(r.serial_no ?? r.number ?? r.id));
  }
  return map;
}

export type VmiPosition = {
  agreement: string;
  code: string;
  item: string;
  itemCode: string;
  itemName: string;
  warehouse: string;
  min: string;
  max: string;
  consignment: boolean;
  onHand: string;
  reserved: string;
  incoming: string;
  consumed30d: string;
  dailyAverage: string;
  forecast14d: string;
  daysOfCover: string | null;
  suggested: string;
};

const supplierQuery = (supplier: string | null) => (supplier ? `?supplier=${supplier}` : '');

/** A supplier's VMI positions: our stock of its items, consumption, forecast and what to send. */
export const vmiPositions = (supplier: string | null) =>
  api<Page<VmiPosition>>(`/api/v1/wms/portal/vmi${supplierQuery(supplier)}`).then((p) => p.items);

/** A replenishment ASN of the suggested quantities (all positions, or the agreements named). */
export const proposeReplenishment = (supplier: string | null, agreements?: string[]) =>
  api<RecordData>(`/api/v1/wms/portal/replenish${supplierQuery(supplier)}`, {
    method: 'POST',
    body: agreements ? { agreements } : {},
  });
