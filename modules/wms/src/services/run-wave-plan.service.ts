/**
 * Running a wave plan: its rule waves the warehouse's reserved orders (`createWaves`); with
 * `auto_release` each new wave is released into routed pick lists in the same transaction.
 */
import type { CompiledEntity, RecordData } from '@tenon/design';
import type { WaveGrouping, WaveRule } from '../domain/waves.ts';
import { createWaves } from './create-waves.service.ts';
import { bad, patchIn, reload, requireStatus, type Scope } from './records.ts';
import { releaseWave } from './release-wave.service.ts';

const GROUPINGS: readonly string[] = ['carrier', 'route', 'priority', 'cutoff'];

export async function runWavePlan(s: Scope, _entity: CompiledEntity, plan: RecordData): Promise<RecordData> {
  requireStatus('wave_plan', plan, ['open'], 'run');
  const groupBy = String(plan.group_by ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const unknown = groupBy.find((g) => !GROUPINGS.includes(g));
  if (unknown) throw bad('group_by', `unknown grouping ${unknown} (carrier, route, priority, cutoff)`);
  const rule: WaveRule = {
    groupBy: groupBy as WaveGrouping[],
    ...(plan.window_minutes ? { windowMinutes: Number(plan.window_minutes) } : {}),
    ...(plan.max_orders ? { maxOrders: Number(plan.max_orders) } : {}),
    ...(plan.max_lines ? { maxLines: Number(plan.max_lines) } : {}),
    ...(plan.horizon_minutes ? { horizonMinutes: Number(plan.horizon_minutes) } : {}),
  };
  const result = await createWaves(s, {
    warehouse: plan.warehouse as string,
    rule,
    ...(plan.pick_kind ? { pickKind: String(plan.pick_kind) } : {}),
    ...(plan.orders_per_list ? { ordersPerList: Number(plan.orders_per_list) } : {}),
  });
  if (plan.auto_release === true) {
    const waveEntity = s.ctx.metamodel.get('wave');
    for (const wave of result.waves) await releaseWave(s, waveEntity, wave);
  }
  await patchIn(s, 'wave_plan', plan.id as string, {
    status: 'done',
    waves_created: result.waves.length,
    orders_deferred: result.deferred.length,
  });
  return reload(s, 'wave_plan', plan.id as string);
}

/** The module's rule: a wave plan runs as soon as it is created (by hand or by a cron rule). */
export const runWavePlanRule = {
  kind: 'rule',
  definition: {
    name: 'wms_run_wave_plan',
    label: { 'zh-CN': '新建组波计划即执行', en: 'Run a wave plan when it is created' },
    event: { topic: 'record.created', entity: 'wave_plan' },
    instructions: [{ do: 'call_action', action: 'run' }],
  },
};
