import { defineErrors } from '@tenon/core';

export const EventErrors = defineErrors({
  KERNEL_WEBHOOK_INVALID: { status: 422, 'zh-CN': 'Webhook 定义无效', en: 'Invalid webhook definition' },
  KERNEL_WEBHOOK_NOT_FOUND: { status: 404, 'zh-CN': 'Webhook 不存在：{id}', en: 'No webhook {id}' },
  KERNEL_WEBHOOK_DELIVERY_NOT_FOUND: {
    status: 404,
    'zh-CN': 'Webhook 投递记录不存在：{id}',
    en: 'No webhook delivery {id}',
  },
  KERNEL_WEBHOOK_DELIVERY_NOT_DEAD: {
    status: 409,
    'zh-CN': '只能重新投递已放弃的投递（当前状态：{status}）',
    en: 'Only a dead delivery can be redelivered (it is {status})',
  },
});
