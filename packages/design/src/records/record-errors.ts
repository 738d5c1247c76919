import { defineErrors } from '@tenon/core';

export const RecordErrors = defineErrors({
  QUERY_INVALID: { status: 400, 'zh-CN': '查询参数无效：{reason}', en: 'Invalid query: {reason}' },
  CURSOR_INVALID: {
    status: 400,
    'zh-CN': '分页游标无效或与排序不符',
    en: 'The paging cursor is invalid or does not match the sort order',
  },
});
