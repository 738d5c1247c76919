import { defineErrors } from '@tenon/core';

export const ConsoleErrors = defineErrors({
  CONSOLE_VIEW_NOT_FOUND: { status: 404, 'zh-CN': '视图不存在：{id}', en: 'Saved view not found: {id}' },
  CONSOLE_VIEW_INVALID: {
    status: 400,
    'zh-CN': '视图无效：{reason}',
    en: 'Invalid saved view: {reason}',
  },
  CONSOLE_VIEW_NAME_TAKEN: {
    status: 409,
    'zh-CN': '已有同名视图：{name}',
    en: 'A view with this name exists: {name}',
  },
  CONSOLE_VIEW_NOT_OWNER: {
    status: 403,
    'zh-CN': '只有视图的创建者或管理员可以修改共享视图',
    en: 'Only the owner or an administrator may change a shared view',
  },
  CONSOLE_PREFERENCE_INVALID: {
    status: 400,
    'zh-CN': '偏好设置无效：{reason}',
    en: 'Invalid preference: {reason}',
  },
  CONSOLE_AGGREGATE_INVALID: {
    status: 400,
    'zh-CN': '汇总参数无效：{reason}',
    en: 'Invalid aggregate: {reason}',
  },
  CONSOLE_BULK_INVALID: {
    status: 400,
    'zh-CN': '批量操作无效：{reason}',
    en: 'Invalid bulk operation: {reason}',
  },
  CONSOLE_BULK_ROWS_FAILED: {
    status: 422,
    'zh-CN': '{failed} 行失败，所有更改均未保存',
    en: '{failed} rows failed; nothing was saved',
  },
});
