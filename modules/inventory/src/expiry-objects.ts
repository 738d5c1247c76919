/**
 * Design objects inventory owns in every tenant: the `expiry_review` service (a task bound to a lot)
 * and two rules: a daily cron rule that records an `expiry_scan`, and one that runs the scan's
 * `create_expiry_tasks` action when it is created (the rule language does not iterate lots itself).
 */
import { l } from './entities/fields.ts';

export const EXPIRY_SERVICE = 'expiry_review';
export const EXPIRY_ROLE = 'inventory_controller';

export const expiryObjects = [
  {
    kind: 'service',
    definition: {
      name: EXPIRY_SERVICE,
      label: l('批次效期复核', 'Expiring lot review'),
      bindsTo: 'lot',
      role: EXPIRY_ROLE,
      priority: 60,
      slaMinutes: 1440,
    },
  },
  {
    kind: 'rule',
    definition: {
      name: 'inventory_expiry_daily',
      label: l('每日检查临期批次', 'Daily check of expiring lots'),
      event: { topic: 'cron', schedule: { cron: '0 6 * * *', tz: 'UTC' } },
      instructions: [{ do: 'create_record', entity: 'expiry_scan', values: { within_days: '30' } }],
    },
  },
  {
    kind: 'rule',
    definition: {
      name: 'inventory_expiry_tasks',
      label: l('为临期批次生成复核任务', 'Review tasks for expiring lots'),
      event: { topic: 'record.created', entity: 'expiry_scan' },
      instructions: [{ do: 'call_action', action: 'create_expiry_tasks' }],
    },
  },
];
