import { defineErrors } from '@tenon/core';

export const RuleErrors = defineErrors({
  KERNEL_RULE_NOT_FOUND: { status: 404, 'zh-CN': '规则不存在：{name}', en: 'No rule named {name}' },
  KERNEL_RULE_INVALID: {
    status: 422,
    'zh-CN': '规则定义无效：{name}',
    en: 'Invalid rule definition: {name}',
  },
  KERNEL_RULE_DRY_RUN_INVALID: {
    status: 422,
    'zh-CN': '试运行请求无效',
    en: 'The dry-run request is invalid',
  },
  KERNEL_NOTIFICATION_NOT_FOUND: {
    status: 404,
    'zh-CN': '通知不存在：{id}',
    en: 'No notification {id}',
  },
});
