/** Pure pieces of delivery: retry delays and the compact live notification. No I/O, no clock. */
import type { LiveEvent } from './types.ts';

export type Backoff = { baseMs: number; maxMs: number };

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Delay before attempt `attempts + 1`: exponential from `baseMs`, capped at `maxMs`, with "equal
 * jitter" (half fixed, half random) so that instances retrying the same failure spread out.
 * `random` is injected (tests pass a constant).
 */
export function retryDelayMs(attempts: number, backoff: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: payloads above this are left out. */
export const LIVE_PAYLOAD_LIMIT = 7000;

/** The NOTIFY payload on LIVE_CHANNEL (built in SQL by the consumer): short keys, the schema for routing. */
export type LiveWire = {
  i: string;
  s: string;
  t: string;
  e: string | null;
  r: string | null;
  p: unknown;
  a: string;
};

export const LIVE_CHANNEL = 'tenon_live';

/** Decodes a live notification; null for anything that is not one (ignored, never thrown). */
export function decodeLive(text: string): { schema: string; event: LiveEvent } | null {
  try {
    const w = JSON.parse(text) as Partial<LiveWire>;
    if (typeof w.s !== 'string' || typeof w.t !== 'string') return null;
    const payload = w.p && typeof w.p === 'object' ? (w.p as Record<string, unknown>) : {};
    return {
      schema: w.s,
      event: { topic: w.t, entity: w.e ?? null, recordId: w.r ?? null, payload, at: String(w.a ?? '') },
    };
  } catch {
    return null;
  }
}
