/** The process control block and the vocabulary shared by every part of the kernel. */
import type { Label } from '@tenon/core';

export type ProcessState = 'NEW' | 'READY' | 'RUNNING' | 'WAITING' | 'SUSPENDED' | 'TERMINATED';
export const PROCESS_STATES: readonly ProcessState[] = [
  'NEW',
  'READY',
  'RUNNING',
  'WAITING',
  'SUSPENDED',
  'TERMINATED',
];

/** Why a process ended. */
export type ExitReason = 'done' | 'cancelled' | 'failed' | 'timed_out';

/** What a WAITING process waits for (the system waits; a person's hold is SUSPENDED). */
export type WaitReason = 'event' | 'timer' | 'children' | 'resource' | 'predecessor';

/** A process control block, as stored in `_process` and returned by the API. */
export type Process = {
  pid: string;
  service: string;
  state: ProcessState;
  parentId: string | null;
  /** The process this one follows in a sequential chain (it becomes READY when that one is done). */
  predecessorId: string | null;
  /** The bound business record (generic link). */
  entity: string | null;
  recordId: string | null;
  /** The user (id) doing the work; set by claim/assign/dispatch; required while RUNNING. */
  operatorId: string | null;
  /** Who may take it: a role and skills (from the service, overridable per process). */
  role: string | null;
  skills: string[];
  /** 0-100, higher first; aging raises the effective priority of long-waiting processes. */
  priority: number;
  dueAt: string | null;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** When it last became READY (for aging and fair ordering). */
  readySince: string | null;
  /** Context variables: inputs, the operator's form data, children's results. */
  context: Record<string, unknown>;
  waitReason: WaitReason | null;
  /** Details of the wait: `{ topic, ... }`, `{ timerId }`, `{ resourceType }`. */
  waitOn: Record<string, unknown> | null;
  exitReason: ExitReason | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
};

/** Built-in categories of resources (the first seed's list, plus people). */
export type ResourceCategory = 'material' | 'equipment' | 'device' | 'room' | 'capital' | 'skill' | 'person';

/** A resource type definition (design object kind `resource_type`). */
export type ResourceTypeDef = {
  name: string;
  label: Label;
  category: ResourceCategory;
  description?: string;
};

/** One resource a service needs while it runs. */
export type ResourceRequirement = {
  /** A resource type name. */
  type: string;
  /** Units of capacity held (default 1). */
  quantity?: number;
  /** How long it is held; default the service's duration. */
  minutes?: number;
  /** Skills the resource must have (e.g. a person resource that is a `doctor`). */
  skills?: string[];
};

/** A form field the operator fills in when completing (a subset of the metamodel's field kinds). */
export type ServiceFormField = {
  name: string;
  label: Label;
  kind: 'string' | 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'select';
  required?: boolean;
  options?: { value: string; label: Label }[];
};

/** A service: the template of a process (design object kind `service`). */
export type ServiceDef = {
  name: string;
  label: Label;
  description?: string;
  /** The entity of the record a process of this service is bound to. */
  bindsTo?: string;
  /** Role an operator needs to take it; none: anyone with the skills. */
  role?: string;
  /** Skills the operator needs. */
  skills?: string[];
  resources?: ResourceRequirement[];
  /** Planned duration in minutes (bookings, and the default of resource requirements). */
  durationMinutes?: number;
  /** 0-100, default 50. */
  priority?: number;
  /** Due this many minutes after creation (the SLA). */
  slaMinutes?: number;
  /** What the operator fills in on completion; validated then stored in the process context. */
  form?: ServiceFormField[];
  /** Sub-services started as children when the process starts: in sequence (a chain) or in parallel. */
  steps?: { mode: 'sequence' | 'parallel'; services: string[] };
};

/** Topics of the event catalogue. */
export type EventTopic =
  | 'record.created'
  | 'record.updated'
  | 'record.deleted'
  | 'action.done'
  | 'process.state_changed'
  | 'timer.fired'
  | 'cron';
