/**
 * Serial capture at receiving: a serial-tracked item is received one scanned serial per unit. The
 * serials of one scan must be distinct, and a serial already in stock anywhere is refused (a serial
 * known but out of stock, e.g. shipped and now returned, is received again under its record). New
 * serials are created through the record API (`serial_number`).
 */
import { AppError, type Decimal } from '@tenon/core';
import { sql } from '@tenon/db';
import { WmsErrors } from '../domain/errors.ts';
import { NIL } from './bin-stock.ts';
import { bad, createIn, rows, type Scope, t } from './records.ts';

export type CapturedSerial = { id: string; serialNo: string };

/** The scanned serials of one field, checked against the quantity they stand for. */
export function serialList(value: unknown, field: string, quantity: Decimal): string[] {
  if (quantity.isZero() && (value === undefined || (Array.isArray(value) && value.length === 0))) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === ''))
    throw bad(field, 'the item is serial-tracked: scan one serial per unit');
  const serials = (value as string[]).map((v) => v.trim());
  if (!quantity.isInteger() || !quantity.eq(serials.length))
    throw bad(field, `scan one serial per unit: ${serials.length} serials for ${quantity.toFixed()} units`);
  return serials;
}

/** Finds or creates the serials (all of the item), refusing duplicates and serials in stock. */
export async function captureSerials(
  s: Scope,
  input: { item: string; lot: string | null; serials: string[] },
): Promise<CapturedSerial[]> {
  const seen = new Set<string>();
  for (const serial of input.serials) {
    if (seen.has(serial)) throw new AppError(WmsErrors.WMS_SERIAL_DUPLICATE, { serial });
    seen.add(serial);
  }
  if (input.serials.length === 0) return [];
  const known = await rows<{ id: string; serial_no: string; item: string; in_stock: boolean }>(
    s,
    sql`SELECT n.id, n.serial_no, n.item,
          EXISTS (SELECT 1 FROM ${t(s, 'inv_balance')} b WHERE b.serial_id = n.id AND b.serial_id <> ${NIL}::uuid
                  AND b.on_hand <> 0) AS in_stock
        FROM ${t(s, 'serial_number')} n WHERE n.serial_no = ANY(${input.serials}::text[]) FOR UPDATE OF n`,
  );
  const bySerial = new Map(known.map((k) => [k.serial_no, k]));
  const captured: CapturedSerial[] = [];
  for (const serialNo of input.serials) {
    const k = bySerial.get(serialNo);
    if (k?.in_stock) throw new AppError(WmsErrors.WMS_SERIAL_IN_STOCK, { serial: serialNo });
    if (k && k.item !== input.item) throw bad('serials', `serial ${serialNo} belongs to another item`);
    const id =
      k?.id ??
      ((
        await createIn(s, 'serial_number', {
          serial_no: serialNo,
          item: input.item,
          ...(input.lot ? { lot: input.lot } : {}),
        })
      ).id as string);
    captured.push({ id, serialNo });
  }
  return captured;
}

/** Move lines for a quantity: one line per serial when there are serials, else one line. */
export function linesFor<T extends { quantity: string }>(
  base: T,
  serials: readonly { id: string }[] | null | undefined,
): (T & { serial?: string })[] {
  if (!serials || serials.length === 0) return [base];
  return serials.map((x) => ({ ...base, quantity: '1', serial: x.id }));
}
