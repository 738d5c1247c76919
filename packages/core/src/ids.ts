import { v7, validate, version } from 'uuid';

/**
 * Random bytes for new ids, drawn from the system's generator a page at a time: one call per id
 * cost about as much as the rest of the id.
 */
const pool = new Uint8Array(4096);
let taken = pool.length;
/** The last id's millisecond and counter (RFC 9562, method 1: a counter seeded randomly each ms). */
const last = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * A new UUIDv7: time-ordered, so primary-key inserts stay at the right edge of the index. Ids made
 * by one process are strictly increasing, also within a millisecond (as `uuid`'s own `v7()`).
 */
export function newId(): string {
  if (taken + 16 > pool.length) {
    crypto.getRandomValues(pool);
    taken = 0;
  }
  const random = pool.subarray(taken, taken + 16);
  taken += 16;
  const now = Date.now();
  if (now > last.msecs) {
    last.msecs = now;
    // 31 random bits: room to count up within the millisecond.
    last.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs++;
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}

export function isUuid(text: unknown): text is string {
  return typeof text === 'string' && validate(text);
}

export function isUuidV7(text: unknown): boolean {
  return isUuid(text) && version(text) === 7;
}
