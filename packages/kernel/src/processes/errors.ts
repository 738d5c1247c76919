/** Errors of processes, services and task lists. */
import { defineErrors } from '@tenon/core';

export const ProcessErrors = defineErrors({
  KERNEL_ILLEGAL_TRANSITION: {
    status: 409,
    'zh-CN': '流程处于 {state} 状态，不能执行 {transition}',
    en: 'A process in state {state} cannot {transition}',
  },
  KERNEL_UNKNOWN_TRANSITION: {
    status: 400,
    'zh-CN': '未知的流程转换：{transition}',
    en: 'Unknown process transition: {transition}',
  },
  KERNEL_OPERATOR_REQUIRED: {
    status: 422,
    'zh-CN': '{transition} 需要指定操作人',
    en: '{transition} needs an operator',
  },
  KERNEL_WAIT_REASON_REQUIRED: {
    status: 422,
    'zh-CN': '等待需要说明原因（event、timer、children、resource、predecessor）',
    en: 'A wait needs a reason (event, timer, children, resource, predecessor)',
  },
  KERNEL_PROCESS_TAKEN: {
    status: 409,
    'zh-CN': '任务已由其他人认领',
    en: 'The task is already taken by someone else',
  },
  KERNEL_CHILDREN_RUNNING: {
    status: 409,
    'zh-CN': '仍有 {count} 个子流程未结束，父流程不能完成',
    en: '{count} child processes have not ended yet; the parent cannot complete',
  },
  KERNEL_PROCESS_NOT_FOUND: {
    status: 404,
    'zh-CN': '流程不存在：{pid}',
    en: 'Process not found: {pid}',
  },
  KERNEL_SERVICE_NOT_FOUND: {
    status: 422,
    'zh-CN': '服务不存在：{service}',
    en: 'Service not found: {service}',
  },
  KERNEL_PROCESS_INPUT_INVALID: {
    status: 422,
    'zh-CN': '流程参数无效：{reason}',
    en: 'Invalid process input: {reason}',
  },
  KERNEL_NOT_YOUR_TASK: {
    status: 403,
    'zh-CN': '这不是您的任务',
    en: 'This is not your task',
  },
  KERNEL_TASK_NOT_ELIGIBLE: {
    status: 403,
    'zh-CN': '您没有认领此任务所需的角色或技能',
    en: 'You lack the role or skills this task needs',
  },
  KERNEL_SERVICE_INVALID: {
    status: 422,
    'zh-CN': '服务定义无效',
    en: 'Invalid service definition',
  },
});
