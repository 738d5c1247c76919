/** What kernel services need besides the transaction: who acts, when, and the tenant's definitions. */
import type { Clock } from '@tenon/core';
import type { Actor, EventCause, TenantMetamodel } from '@tenon/design';
import type { TenantKernelDefinitions } from './definitions/kernel-definitions.ts';

export type KernelEnv = {
  metamodel: TenantMetamodel;
  definitions: TenantKernelDefinitions;
  clock: Clock;
  actor: Actor;
  /** Set when a rule acts: carried onto the events it causes (cascade depth, loop detection). */
  cause?: EventCause;
};
