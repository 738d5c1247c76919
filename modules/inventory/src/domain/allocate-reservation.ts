/**
 * Pure: which lots a reservation takes, first-expiring first (FEFO), then oldest first (FIFO);
 * what cannot be covered is the back-order quantity.
 */
import { Decimal } from '@tenon/core';

export type LotAvailability = {
  lotId: string | null;
  expiresOn: string | null;
  /** Receipt order: the first ledger sequence of the lot in this warehouse. */
  firstSeq: string;
  available: Decimal;
};

export type Allocation = { takes: { lotId: string | null; quantity: Decimal }[]; backorder: Decimal };

export function fefoOrder(lots: LotAvailability[]): LotAvailability[] {
  return [...lots].sort((a, b) => {
    if (a.expiresOn !== b.expiresOn) {
      if (a.expiresOn === null) return 1;
      if (b.expiresOn === null) return -1;
      return a.expiresOn < b.expiresOn ? -1 : 1;
    }
    return BigInt(a.firstSeq) < BigInt(b.firstSeq) ? -1 : BigInt(a.firstSeq) > BigInt(b.firstSeq) ? 1 : 0;
  });
}

export function allocate(lots: LotAvailability[], quantity: Decimal, allowPartial: boolean): Allocation {
  let left = quantity;
  const takes: Allocation['takes'] = [];
  for (const lot of fefoOrder(lots)) {
    if (left.lte(0)) break;
    if (lot.available.lte(0)) continue;
    const q = Decimal.min(left, lot.available);
    takes.push({ lotId: lot.lotId, quantity: q });
    left = left.minus(q);
  }
  if (left.gt(0) && !allowPartial) return { takes: [], backorder: quantity };
  return { takes, backorder: left };
}
