import { defineErrors } from '@tenon/core';

export const MetaErrors = defineErrors({
  META_DEFINITION_INVALID: {
    status: 422,
    'zh-CN': '实体定义无效：{entity}',
    en: 'Invalid entity definition: {entity}',
  },
  META_ENTITY_NOT_FOUND: { status: 404, 'zh-CN': '实体不存在：{entity}', en: 'Unknown entity: {entity}' },
  META_ENTITY_EXISTS: { status: 409, 'zh-CN': '实体已存在：{entity}', en: 'Entity already exists: {entity}' },
  META_DESTRUCTIVE_CHANGE: {
    status: 409,
    'zh-CN': '此变更会删除或缩减数据，需要明确确认（confirm=true）',
    en: 'This change would drop or narrow data; it needs an explicit confirmation (confirm=true)',
  },
  META_ENTITY_ABSTRACT: {
    status: 400,
    'zh-CN': '抽象实体没有记录：{entity}',
    en: 'An abstract entity has no records: {entity}',
  },
  META_ENTITY_IS_CHILD: {
    status: 400,
    'zh-CN': '明细实体 {entity} 只能随其上级记录保存',
    en: 'Line entity {entity} is saved only through its parent record',
  },
  META_ENTITY_OWNED_BY_MODULE: {
    status: 409,
    'zh-CN': '实体 {entity} 属于模块 {module}：只能添加自定义字段',
    en: 'Entity {entity} belongs to module {module}: only custom fields can be added',
  },
  META_SCHEMA_SYNC_FAILED: {
    status: 409,
    'zh-CN': '无法应用结构变更：{reason}',
    en: 'The schema change cannot be applied: {reason}',
  },
  META_ENTITY_IN_USE: {
    status: 409,
    'zh-CN': '实体 {entity} 仍被 {by} 引用',
    en: 'Entity {entity} is still used by {by}',
  },
});
