import { type Clock, type Locale, systemClock } from '@tenon/core';
import type { Database } from '@tenon/db';
import type { TenantMetamodel } from '../registry.ts';
import { type AccessPolicy, SYSTEM_ACCESS } from './access.ts';
import type { EventCause } from './events.ts';

/** Who acts, from where: stamped on records (`created_by`) and on every audit entry. */
export type Actor = {
  /** The user's id; null for the system itself. */
  userId: string | null;
  username: string;
  ip?: string | null;
  userAgent?: string | null;
  traceId?: string | null;
};

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system' };

/** Who writes, what they may do, where, and in which language errors are told. */
export type RecordContext = {
  db: Database;
  metamodel: TenantMetamodel;
  actor: Actor;
  access: AccessPolicy;
  locale: Locale;
  clock: Clock;
  /**
   * Set by `runAction` while a declared action's handler runs: the action's own audit entry holds
   * this record's changes, so the handler's update of it is not audited a second time.
   */
  inAction?: { entity: string; id: string };
  /** Set when a rule writes: carried onto the events of its writes (cascade depth, loop detection). */
  cause?: EventCause;
};

/** The value of `created_by` / `updated_by`. */
export function actorStamp(actor: Actor): string {
  return actor.userId ?? actor.username;
}

/** A context for the system itself (loaders, modules' own writes, tests): everything allowed, audited as `system`. */
export function systemContext(
  input: Pick<RecordContext, 'db' | 'metamodel'> & Partial<Omit<RecordContext, 'db' | 'metamodel'>>,
): RecordContext {
  return {
    actor: SYSTEM_ACTOR,
    access: SYSTEM_ACCESS,
    locale: 'en',
    clock: systemClock,
    ...input,
  };
}
