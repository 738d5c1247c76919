/** Events as the dispatcher delivers them, and the handlers that receive them. */
import type { Tx } from '@tenon/db';
import type { EventCause } from '@tenon/design';

/** One outbox row being delivered. Record events carry `payload.before/after/changed`. */
export type KernelEvent = {
  /** The outbox id (a bigint, as a string): increasing in commit order only roughly. */
  id: string;
  /** The tenant's schema. */
  schema: string;
  tenant: string;
  topic: string;
  entity: string | null;
  recordId: string | null;
  payload: Record<string, unknown>;
  actor: { userId: string | null; username: string };
  cause: EventCause;
  traceId: string | null;
  createdAt: string;
};

/**
 * Receives each event inside the transaction that consumes it: its writes commit together with the
 * removal of the event from the outbox, so a redelivery after a crash repeats nothing that committed.
 * Throwing rolls the delivery back; the dispatcher retries with backoff, then dead-letters.
 */
export type EventHandler = {
  name: string;
  handle(tx: Tx, event: KernelEvent): Promise<void>;
};

/** An event as live subscribers (SSE) receive it, on every app instance. */
export type LiveEvent = {
  topic: string;
  entity: string | null;
  recordId: string | null;
  payload: Record<string, unknown>;
  at: string;
};

/** Fan-out of live events to this process's subscribers, per tenant schema. */
export type LiveSubscriber = {
  subscribe(schema: string, fn: (event: LiveEvent) => void): () => void;
};
