import { defineErrors } from '@tenon/core';

export const TimerErrors = defineErrors({
  KERNEL_CRON_INVALID: {
    status: 422,
    'zh-CN': '定时计划无效：{reason}',
    en: 'Invalid schedule: {reason}',
  },
  KERNEL_CRON_NOT_STARTED: {
    status: 503,
    'zh-CN': '定时计划服务尚未启动',
    en: 'The schedule service is not running',
  },
});
