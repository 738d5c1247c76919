/**
 * Barcode labels (EAN-13, Code 128, QR) as PNG or SVG, and the lookup of a scanned code: an item by
 * barcode or number, a lot by number, a serial, or a location by code.
 */
import { AppError } from '@tenon/core';
import { type Executor, sql } from '@tenon/db';
import bwipjs from 'bwip-js';
import { isValidEan13, type Symbology } from '../domain/barcode.ts';
import { InventoryErrors } from '../errors.ts';

export type LabelInput = { symbology: Symbology; text: string; format: 'png' | 'svg'; caption?: boolean };

export async function renderLabel(
  input: LabelInput,
): Promise<{ contentType: string; body: Buffer | string }> {
  const bad = (reason: string) =>
    new AppError(InventoryErrors.INVENTORY_BAD_INPUT, { field: 'text', reason });
  if (!['ean13', 'code128', 'qrcode'].includes(input.symbology)) {
    throw new AppError(InventoryErrors.INVENTORY_BAD_INPUT, {
      field: 'symbology',
      reason: 'must be ean13, code128 or qrcode',
    });
  }
  if (typeof input.text !== 'string' || input.text.length === 0 || input.text.length > 500)
    throw bad('must be 1-500 characters');
  if (input.symbology === 'ean13' && !isValidEan13(input.text))
    throw bad('is not a valid EAN-13 (13 digits with its check digit)');
  const options = {
    bcid: input.symbology,
    text: input.text,
    scale: 3,
    ...(input.symbology === 'qrcode'
      ? {}
      : { height: 12, includetext: input.caption !== false, textxalign: 'center' as const }),
  };
  if (input.format === 'svg') return { contentType: 'image/svg+xml', body: bwipjs.toSVG(options) };
  return { contentType: 'image/png', body: await bwipjs.toBuffer(options) };
}

export type ScanHit = {
  entity: 'item' | 'lot' | 'serial_number' | 'location';
  id: string;
  item: string | null;
};

export async function lookupScannedCode(db: Executor, schema: string, code: string): Promise<ScanHit | null> {
  const text = code.trim();
  if (text.length === 0) return null;
  const t = (n: string) => sql.id(schema, n);
  const { rows } = await db.run<ScanHit>(
    sql`SELECT 'item' AS entity, id, id AS item FROM ${t('item')} WHERE barcode = ${text} OR code = ${text}
        UNION ALL SELECT 'serial_number', id, item FROM ${t('serial_number')} WHERE serial_no = ${text}
        UNION ALL SELECT 'lot', id, item FROM ${t('lot')} WHERE code = ${text}
        UNION ALL SELECT 'location', id, NULL FROM ${t('location')} WHERE code = ${text}
        LIMIT 1`,
  );
  return rows[0] ?? null;
}
