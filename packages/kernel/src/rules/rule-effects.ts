/**
 * What rules need from the other kernel parts: processes (create, transition) and timers. The kernel
 * runtime wires the real functions in; an instruction whose effect is not wired fails as a rule error.
 */
import type { Tx } from '@tenon/db';
import type { KernelEnv } from '../env.ts';

export type CreateProcessInput = {
  service: string;
  entity?: string | null;
  recordId?: string | null;
  priority?: number;
  context?: Record<string, unknown>;
  dueAt?: string | null;
};

export type RuleEffects = {
  createProcess?: (tx: Tx, env: KernelEnv, input: CreateProcessInput) => Promise<{ pid: string }>;
  transitionProcess?: (
    tx: Tx,
    env: KernelEnv,
    input: { pid: string; transition: string; reason?: string },
  ) => Promise<unknown>;
  scheduleTimer?: (
    tx: Tx,
    input: { dueAt: string; payload: Record<string, unknown>; pid?: string | null; rule?: string },
  ) => Promise<unknown>;
};
