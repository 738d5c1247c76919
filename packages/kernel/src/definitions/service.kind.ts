/**
 * The `service` design object kind: a process template. Checks its shape and its references (bound
 * entity, resource types, sub-services, no cycle through steps); derives the name from the label (the
 * Chinese one first) when none is given, as entities do.
 */
import type { FieldError, Label } from '@tenon/core';
import {
  identifierFromLabel,
  isIdentifier,
  type ObjectCheckContext,
  type ObjectKind,
  uniqueIdentifier,
} from '@tenon/design';
import type { ServiceDef, ServiceFormField } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FORM_KINDS: readonly ServiceFormField['kind'][] = [
  'string',
  'text',
  'integer',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'select',
];
const KEYS = new Set([
  'name',
  'label',
  'description',
  'bindsTo',
  'role',
  'skills',
  'resources',
  'durationMinutes',
  'priority',
  'slaMinutes',
  'form',
  'steps',
]);

function isLabel(v: unknown): v is Label {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length > 0 &&
    keys.every(
      (k) => (k === 'zh-CN' || k === 'en') && typeof v[k] === 'string' && (v[k] as string).trim() !== '',
    )
  );
}

class Check {
  readonly errors: FieldError[] = [];
  fail(field: string, code: string, message: string): undefined {
    this.errors.push({ field, code, message });
  }
  int(path: string, v: unknown, min: number, max: number): number | undefined {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      this.fail(path, 'range', `must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return v as number;
  }
  names(path: string, v: unknown): string[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && isIdentifier(s))) {
      this.fail(path, 'type', 'must be a list of names (lowercase letters, digits, _)');
      return undefined;
    }
    return [...new Set(v as string[])];
  }
}

function checkForm(c: Check, v: unknown): ServiceFormField[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return c.fail('form', 'type', 'must be a list of fields');
  const seen = new Set<string>();
  return v.map((f: unknown, i) => {
    const path = `form.${i}`;
    const field = (isObj(f) ? f : {}) as Obj;
    if (typeof field.name !== 'string' || !isIdentifier(field.name))
      c.fail(`${path}.name`, 'name', 'invalid name');
    else if (seen.has(field.name)) c.fail(`${path}.name`, 'duplicate', `duplicate field ${field.name}`);
    else seen.add(field.name);
    if (!isLabel(field.label)) c.fail(`${path}.label`, 'label', 'a label in zh-CN and/or en is required');
    if (!FORM_KINDS.includes(field.kind as ServiceFormField['kind'])) {
      c.fail(`${path}.kind`, 'kind', `one of ${FORM_KINDS.join(', ')}`);
    }
    if (field.required !== undefined && typeof field.required !== 'boolean') {
      c.fail(`${path}.required`, 'type', 'true or false');
    }
    if (field.kind === 'select') {
      const ok =
        Array.isArray(field.options) &&
        field.options.length > 0 &&
        field.options.every((o: unknown) => isObj(o) && typeof o.value === 'string' && isLabel(o.label));
      if (!ok) c.fail(`${path}.options`, 'options', 'a select needs options { value, label }');
    }
    return field as unknown as ServiceFormField;
  });
}

function checkResources(c: Check, v: unknown, ctx: ObjectCheckContext): undefined {
  if (v === undefined) return;
  if (!Array.isArray(v)) return c.fail('resources', 'type', 'must be a list of requirements');
  for (const [i, r] of (v as unknown[]).entries()) {
    const path = `resources.${i}`;
    if (!isObj(r)) {
      c.fail(path, 'type', 'must be an object { type, quantity?, minutes?, skills? }');
      continue;
    }
    if (!ctx.objects.some((o) => o.kind === 'resource_type' && o.name === r.type)) {
      c.fail(`${path}.type`, 'unknown_resource_type', `no resource type named ${String(r.type)}`);
    }
    c.int(`${path}.quantity`, r.quantity, 1, 1_000_000);
    c.int(`${path}.minutes`, r.minutes, 1, 525_600);
    c.names(`${path}.skills`, r.skills);
  }
}

/** Every service reachable through steps from `start`, given the step lists by name. */
function reaches(start: string[], steps: Map<string, string[]>, target: string): boolean {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === target) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(steps.get(n) ?? []));
  }
  return false;
}

function checkSteps(c: Check, v: unknown, name: string, ctx: ObjectCheckContext): undefined {
  if (v === undefined) return;
  if (!isObj(v) || (v.mode !== 'sequence' && v.mode !== 'parallel')) {
    return c.fail('steps.mode', 'mode', 'steps need mode sequence or parallel');
  }
  const services = c.names('steps.services', v.services);
  if (!services) return;
  if (services.length === 0) return c.fail('steps.services', 'required', 'at least one sub-service');
  const stored = ctx.objects.filter((o) => o.kind === 'service');
  services.forEach((s, i) => {
    if (s !== name && !stored.some((o) => o.name === s)) {
      c.fail(`steps.services.${i}`, 'unknown_service', `no service named ${s}`);
    }
  });
  const graph = new Map<string, string[]>(
    stored.map((o) => [
      o.name,
      ((o.definition as Obj).steps as { services?: string[] } | undefined)?.services ?? [],
    ]),
  );
  graph.set(name, services);
  if (reaches(services, graph, name)) c.fail('steps.services', 'cycle', `${name} would contain itself`);
}

export const serviceKind: ObjectKind = {
  kind: 'service',
  label: { 'zh-CN': '服务', en: 'Service' },
  check(input, ctx) {
    const c = new Check();
    if (!isObj(input)) return { errors: [{ field: '', code: 'type', message: 'a service is an object' }] };
    for (const key of Object.keys(input))
      if (!KEYS.has(key)) c.fail(key, 'unknown', 'not a service property');
    if (!isLabel(input.label)) c.fail('label', 'label', 'a label in zh-CN and/or en is required');
    let name = input.name;
    if (name === undefined && isLabel(input.label)) {
      const base = identifierFromLabel(input.label['zh-CN'] ?? input.label.en ?? '', { fallbackPrefix: 's' });
      const taken = new Set(ctx.objects.filter((o) => o.kind === 'service').map((o) => o.name));
      name = uniqueIdentifier(base, taken);
    }
    if (typeof name !== 'string' || !isIdentifier(name))
      c.fail('name', 'name', 'lowercase letters, digits, _');
    if (input.description !== undefined && typeof input.description !== 'string') {
      c.fail('description', 'type', 'must be text');
    }
    if (
      input.bindsTo !== undefined &&
      (typeof input.bindsTo !== 'string' || !ctx.metamodel.find(input.bindsTo))
    ) {
      c.fail('bindsTo', 'unknown_entity', `no entity named ${String(input.bindsTo)}`);
    }
    if (input.role !== undefined && (typeof input.role !== 'string' || input.role.trim() === '')) {
      c.fail('role', 'type', 'must be a role name');
    }
    c.names('skills', input.skills);
    checkResources(c, input.resources, ctx);
    c.int('durationMinutes', input.durationMinutes, 1, 525_600);
    c.int('priority', input.priority, 0, 100);
    c.int('slaMinutes', input.slaMinutes, 1, 5_256_000);
    checkForm(c, input.form);
    checkSteps(c, input.steps, String(name), ctx);
    if (c.errors.length > 0) return { errors: c.errors };
    const value = { ...input, name } as ServiceDef & Obj;
    return { value };
  },
};
