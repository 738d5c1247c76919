/**
 * The booking decision, pure: for every requirement pick one resource of its type with its skills that
 * works during the slot and has the capacity left; all or nothing. The refusal names the resource and
 * the slot that clashes.
 */
import { AppError } from '@tenon/core';
import type { ResourceRequirement } from '../../types.ts';
import { SchedulerErrors } from '../errors.ts';
import { type Calendar, isWithinCalendar } from './calendar.ts';
import { firstClash, type Use } from './capacity.ts';

export type CandidateResource = {
  id: string;
  code: string;
  name: string;
  type: string;
  capacity: number;
  skills: string[];
  /** null: always available; 'invalid': a stored calendar that does not parse (never available). */
  calendar: Calendar | null | 'invalid';
  user: string | null;
  uses: Use[];
};

export type ResourcePick = {
  resourceId: string;
  resource: string;
  type: string;
  quantity: number;
  start: number;
  end: number;
};

export const hasSkills = (have: readonly string[], need: readonly string[] | undefined): boolean =>
  (need ?? []).every((s) => have.includes(s));

export const fitsCalendar = (r: CandidateResource, start: number, end: number): boolean =>
  r.calendar !== 'invalid' && isWithinCalendar(r.calendar, start, end);

const iso = (ms: number) => new Date(ms).toISOString();

/** Picks resources for all requirements of one slot, or throws the conflict. */
export function pickResources(input: {
  requirements: readonly ResourceRequirement[];
  candidates: readonly CandidateResource[];
  start: number;
  defaultMinutes: number;
}): ResourcePick[] {
  const added = new Map<string, Use[]>();
  const picks: ResourcePick[] = [];
  for (const req of input.requirements) {
    const quantity = req.quantity ?? 1;
    const end = input.start + (req.minutes ?? input.defaultMinutes) * 60_000;
    const ofType = input.candidates.filter((r) => r.type === req.type && hasSkills(r.skills, req.skills));
    if (ofType.length === 0) {
      throw new AppError(SchedulerErrors.KERNEL_NO_RESOURCE, {
        type: req.type,
        skills: (req.skills ?? []).join(', ') || '-',
      });
    }
    const working = ofType.filter((r) => fitsCalendar(r, input.start, end));
    if (working.length === 0) throw new AppError(SchedulerErrors.KERNEL_OUTSIDE_CALENDAR, { type: req.type });
    let clash: { r: CandidateResource; use: Use } | null = null;
    let chosen: CandidateResource | null = null;
    for (const r of working) {
      const uses = [...r.uses, ...(added.get(r.id) ?? [])];
      const c = firstClash(uses, r.capacity, quantity, input.start, end);
      if (!c) {
        chosen = r;
        break;
      }
      clash ??= { r, use: c };
    }
    if (!chosen) {
      const { r, use } = clash!;
      throw new AppError(SchedulerErrors.KERNEL_RESOURCE_CONFLICT, {
        resource: r.code,
        resourceId: r.id,
        type: req.type,
        start: iso(use.start),
        end: iso(use.end),
        ...(use.pid ? { pid: use.pid } : {}),
      });
    }
    added.set(chosen.id, [...(added.get(chosen.id) ?? []), { start: input.start, end, quantity }]);
    picks.push({
      resourceId: chosen.id,
      resource: chosen.code,
      type: req.type,
      quantity,
      start: input.start,
      end,
    });
  }
  return picks;
}
