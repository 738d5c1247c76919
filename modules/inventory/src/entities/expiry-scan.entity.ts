import { l } from './fields.ts';

/**
 * One run of the expiry review: created daily by the module's cron rule (or by hand); its
 * `create_expiry_tasks` action opens an `expiry_review` task per lot expiring within `within_days`.
 */
export const expiryScanEntity = {
  name: 'expiry_scan',
  label: l('效期检查', 'Expiry scan'),
  module: 'inventory',
  actions: [{ name: 'create_expiry_tasks', label: l('生成效期复核任务', 'Create expiry review tasks') }],
  fields: [
    {
      name: 'within_days',
      label: l('提前天数', 'Within days'),
      kind: 'integer',
      min: 0,
      max: 3650,
      default: 30,
      required: true,
    },
    {
      name: 'tasks_created',
      label: l('新建任务数', 'Tasks created'),
      kind: 'integer',
      default: 0,
      actionOwned: true,
    },
  ],
};
