/**
 * The kernel as the server and the composition root see it: the tenant definitions cache and, once
 * started, the live event fan-out. Its parts (dispatcher, timers, scheduler, rules) are wired here.
 */
import type { Clock } from '@tenon/core';
import type { Database } from '@tenon/db';
import type { ObjectKindRegistry } from '@tenon/design';
import { KernelDefinitions } from './definitions/kernel-definitions.ts';
import type { LiveSubscriber } from './events/types.ts';

export type KernelDeps = { db: Database; objectKinds: ObjectKindRegistry; clock: Clock };

export class Kernel {
  readonly definitions: KernelDefinitions;
  /** Live events of every instance (null until the kernel's event machinery runs). */
  live: LiveSubscriber | null = null;

  constructor(readonly deps: KernelDeps) {
    this.definitions = new KernelDefinitions(deps.db, deps.objectKinds);
  }
}
