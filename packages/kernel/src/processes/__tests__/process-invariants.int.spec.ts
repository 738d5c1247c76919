/**
 * Random sequences of creations and transitions (fast-check, fixed seed; FUZZ_SEED / FUZZ_RUNS explore)
 * against the real database keep the invariants: no child outlives its parent; every RUNNING process
 * has its operator; history rows = transitions (one per version, chained from state to state); every
 * recorded step is a row of the transition table. Refusals are coded AppErrors that write nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock, isAppError } from '@tenon/core';
import { sql } from '@tenon/db';
import fc from 'fast-check';
import { TRANSITION_NAMES, TRANSITIONS } from '../../domain/transitions.ts';
import type { KernelEnv } from '../../env.ts';
import { createProcess } from '../../services/create-process.service.ts';
import { transitionProcess } from '../../services/transition-process.service.ts';
import { getProcess } from '../process.repository.ts';
import { label, type ProcessHarness, processHarness } from './harness.ts';

const SERVICES = ['leaf', 'leaf', 'seq', 'par'] as const;
const OPERATORS = ['u1', 'u2', null] as const;

type Op =
  | { kind: 'create'; service: number; parent: number | null; predecessor: number | null }
  | {
      kind: 'move';
      target: number;
      transition: string;
      legal: number | null;
      operator: number;
      cascade: boolean;
    };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      service: fc.noBias(fc.nat({ max: SERVICES.length - 1 })),
      // A parent or a predecessor in about one creation of four.
      parent: fc.noBias(fc.nat({ max: 11 })).map((n) => (n < 3 ? n : null)),
      predecessor: fc.noBias(fc.nat({ max: 11 })).map((n) => (n < 3 ? n : null)),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      target: fc.noBias(fc.nat({ max: 2 })),
      transition: fc.oneof(
        fc.constantFrom(...TRANSITION_NAMES),
        fc.constantFrom('claim', 'start', 'start', 'suspend', 'resume', 'complete'),
      ),
      /** When set, the n-th transition legal in the target's current state (deep sequences), else `transition`. */
      legal: fc.noBias(fc.nat({ max: 13 })).map((n) => (n > 11 ? null : n)),
      operator: fc.noBias(fc.nat({ max: OPERATORS.length - 1 })),
      cascade: fc.boolean(),
    }),
    weight: 3,
  },
);

describe('process invariants under random operations', () => {
  let h: ProcessHarness;
  let env: KernelEnv;

  before(async () => {
    h = await processHarness(fixedClock('2026-06-01T00:00:00.000Z'));
    await h.saveService({ name: 'leaf', label: label('Leaf') });
    await h.saveService({
      name: 'seq',
      label: label('Seq'),
      steps: { mode: 'sequence', services: ['leaf', 'leaf'] },
    });
    await h.saveService({
      name: 'par',
      label: label('Par'),
      steps: { mode: 'parallel', services: ['leaf', 'leaf', 'leaf'] },
    });
    env = await h.env();
  });
  after(() => h.s.close());

  async function checkInvariants(): Promise<void> {
    const schema = h.s.tenant.schemaName;
    const orphans = await h.s.db.run(sql`SELECT c.pid FROM ${sql.id(schema, '_process')} c
      JOIN ${sql.id(schema, '_process')} p ON p.pid = c.parent_id
      WHERE p.state = 'TERMINATED' AND c.state <> 'TERMINATED'`);
    assert.equal(orphans.rows.length, 0, 'a child outlived its parent');
    const early = await h.s.db.run(sql`SELECT c.pid FROM ${sql.id(schema, '_process')} c
      JOIN ${sql.id(schema, '_process')} p ON p.pid = c.parent_id
      WHERE c.state = 'TERMINATED' AND p.state = 'TERMINATED' AND c.ended_at > p.ended_at`);
    assert.equal(early.rows.length, 0, 'a child ended after its parent');
    const idle = await h.s.db.run(sql`SELECT pid FROM ${sql.id(schema, '_process')}
      WHERE state = 'RUNNING' AND operator_id IS NULL`);
    assert.equal(idle.rows.length, 0, 'a RUNNING process without operator');
    const processes = await h.s.db.run<{ pid: string; state: string; version: number }>(
      sql`SELECT pid, state, version FROM ${sql.id(schema, '_process')}`,
    );
    const history = await h.s.db.run<{
      pid: string;
      transition: string;
      from_state: string | null;
      to_state: string;
    }>(
      sql`SELECT pid, transition, from_state, to_state FROM ${sql.id(schema, '_process_event')} ORDER BY at, id`,
    );
    const byPid = new Map<string, typeof history.rows>();
    for (const r of history.rows) byPid.set(r.pid, [...(byPid.get(r.pid) ?? []), r]);
    for (const p of processes.rows) {
      const rows = byPid.get(p.pid) ?? [];
      assert.equal(rows.length, p.version, `history rows = transitions for ${p.pid}`);
      assert.deepEqual(
        [rows[0]?.transition, rows[0]?.from_state, rows[0]?.to_state],
        ['create', null, 'NEW'],
      );
      for (let i = 1; i < rows.length; i++) {
        const r = rows[i]!;
        assert.equal(r.from_state, rows[i - 1]!.to_state, 'history is a chain of states');
        const rule = TRANSITIONS[r.transition as keyof typeof TRANSITIONS];
        assert.ok(rule, `unknown transition ${r.transition}`);
        assert.ok(
          rule.from.includes(r.from_state as never),
          `${r.from_state} x ${r.transition} is not in the table`,
        );
        const to = rule.to === 'READY|RUNNING' ? ['READY', 'RUNNING'] : [rule.to];
        assert.ok(to.includes(r.to_state), `${r.transition} led to ${r.to_state}`);
      }
      assert.equal(rows.at(-1)!.to_state, p.state);
    }
  }

  it('keeps every invariant', async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261126;
    const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 12;
    const succeeded = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 25, maxLength: 40 }), async (ops) => {
        const pids: string[] = [];
        // Mostly the newest processes, so that sequences of moves meet the same process.
        const pick = (i: number | null) =>
          i === null || pids.length === 0 ? null : pids[pids.length - 1 - (i % Math.min(pids.length, 4))]!;
        for (const op of ops) {
          try {
            if (op.kind === 'create') {
              const p = await h.s.db.transaction((tx) =>
                createProcess(tx, env, {
                  service: SERVICES[op.service]!,
                  parentId: pick(op.parent),
                  predecessorId: pick(op.predecessor),
                }),
              );
              pids.push(p.pid);
            } else {
              const pid = pick(op.target);
              if (!pid) continue;
              let transition = op.transition;
              if (op.legal !== null) {
                const state = (await getProcess(h.s.db, h.s.tenant.schemaName, pid))!.state;
                const legal = TRANSITION_NAMES.filter((t) => TRANSITIONS[t].from.includes(state));
                // Ending moves are rarer, so that processes live long enough to go somewhere.
                const living = legal.filter((t) => !['cancel', 'time_out', 'fail'].includes(t));
                const choices = op.legal < 10 && living.length > 0 ? living : legal;
                if (choices.length > 0) transition = choices[op.legal % choices.length]!;
              }
              await h.s.db.transaction((tx) =>
                transitionProcess(tx, env, {
                  pid,
                  transition,
                  operatorId: OPERATORS[op.operator]!,
                  cascade: op.cascade,
                  ...(transition === 'wait' ? { waitReason: 'event' as const } : {}),
                }),
              );
              succeeded.add(transition);
            }
          } catch (err) {
            if (!isAppError(err) || err.status >= 500) throw err;
          }
        }
        await checkInvariants();
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    if (process.env.FUZZ_DEBUG) console.log([...succeeded]);
    // The sequences reach the interesting parts of the table, not only refusals.
    for (const t of [
      'claim',
      'start',
      'suspend',
      'resume',
      'wait',
      'wake',
      'complete',
      'cancel',
      'handover',
    ]) {
      assert.ok(succeeded.has(t), `no sequence managed a ${t}`);
    }
    const schema = h.s.tenant.schemaName;
    const kinds = await h.s.db.run<{ n: number }>(
      sql`SELECT count(DISTINCT state)::int AS n FROM ${sql.id(schema, '_process')}`,
    );
    assert.ok(kinds.rows[0]!.n >= 4, 'processes end in several states');
  });
});
