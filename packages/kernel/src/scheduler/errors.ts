/** Errors of bookings and dispatch. */
import { defineErrors } from '@tenon/core';

export const SchedulerErrors = defineErrors({
  KERNEL_RESOURCE_CONFLICT: {
    status: 409,
    'zh-CN': '资源 {resource} 在 {start} 至 {end} 已被占用，无法预约',
    en: 'Resource {resource} is taken from {start} to {end}: the slot cannot be booked',
  },
  KERNEL_OUTSIDE_CALENDAR: {
    status: 409,
    'zh-CN': '{type} 类资源在所选时段均不在工作时间内',
    en: 'No resource of type {type} works during the chosen slot',
  },
  KERNEL_NO_RESOURCE: {
    status: 422,
    'zh-CN': '没有符合要求的 {type} 类资源（技能：{skills}）',
    en: 'No resource of type {type} with skills {skills}',
  },
  KERNEL_BOOKING_INVALID: {
    status: 400,
    'zh-CN': '预约请求无效',
    en: 'Invalid booking request',
  },
  KERNEL_SCHEDULE_QUERY_INVALID: {
    status: 400,
    'zh-CN': '排程查询参数无效',
    en: 'Invalid schedule query',
  },
  KERNEL_RESOURCE_NOT_FOUND: {
    status: 404,
    'zh-CN': '资源不存在',
    en: 'Resource not found',
  },
});
