/**
 * Pure: a line entered in another unit of the item becomes a base-unit quantity. A conversion says
 * `1 from = factor × to`; one for this item wins over a general one, and either direction serves
 * (base → entered unit divides). The result must be exact at the base unit's decimal places.
 */
import { AppError, Decimal } from '@tenon/core';
import { InventoryErrors } from '../errors.ts';

export type UomConversion = { fromUom: string; toUom: string; factor: Decimal; item: string | null };

export type EnteredLine = {
  lineNo: number;
  itemId: string;
  uom: string;
  quantity: Decimal;
  unitCost: Decimal | null;
};

export type BaseUnit = { uom: string; precision: number };

const COST_SCALE = 9;

/** How one `uom` becomes base units (times or divided by a stored factor), or null when unlinked. */
export function conversionToBase(
  conversions: UomConversion[],
  itemId: string,
  uom: string,
  base: string,
): { op: 'times' | 'dividedBy'; factor: Decimal } | null {
  for (const scope of [itemId, null]) {
    const direct = conversions.find((c) => c.item === scope && c.fromUom === uom && c.toUom === base);
    if (direct) return { op: 'times', factor: direct.factor };
    const inverse = conversions.find((c) => c.item === scope && c.fromUom === base && c.toUom === uom);
    if (inverse) return { op: 'dividedBy', factor: inverse.factor };
  }
  return null;
}

export function toBaseUnit(
  line: EnteredLine,
  base: BaseUnit,
  conversions: UomConversion[],
): { quantity: Decimal; unitCost: Decimal | null } {
  if (line.uom === base.uom) return { quantity: line.quantity, unitCost: line.unitCost };
  const conversion = conversionToBase(conversions, line.itemId, line.uom, base.uom);
  if (!conversion) throw new AppError(InventoryErrors.INVENTORY_UOM_NO_CONVERSION, { line: line.lineNo });
  const quantity = line.quantity[conversion.op](conversion.factor);
  if (quantity.decimalPlaces() > base.precision) {
    throw new AppError(InventoryErrors.INVENTORY_UOM_NOT_REPRESENTABLE, {
      line: line.lineNo,
      quantity: quantity.toSignificantDigits(20).toFixed(),
      precision: base.precision,
    });
  }
  // The line's value is kept: quantity × cost in the entered unit = base quantity × base cost.
  const unitCost = line.unitCost
    ? line.unitCost
        .times(line.quantity)
        .dividedBy(quantity)
        .toDecimalPlaces(COST_SCALE, Decimal.ROUND_HALF_UP)
    : null;
  return { quantity, unitCost };
}
