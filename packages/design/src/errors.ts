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
  META_OBJECT_KIND_UNKNOWN: {
    status: 404,
    'zh-CN': '未知的定义类型：{kind}',
    en: 'Unknown kind of definition: {kind}',
  },
  META_OBJECT_NOT_FOUND: { status: 404, 'zh-CN': '定义不存在：{kind} {name}', en: 'Unknown {kind}: {name}' },
  META_OBJECT_EXISTS: {
    status: 409,
    'zh-CN': '定义已存在：{kind} {name}',
    en: '{kind} already exists: {name}',
  },
  META_OBJECT_INVALID: {
    status: 422,
    'zh-CN': '定义无效：{kind} {name}',
    en: 'Invalid {kind} definition: {name}',
  },
  META_OBJECT_VERSION_CONFLICT: {
    status: 412,
    'zh-CN': '定义已被他人修改（当前版本 {version}），请刷新后重试',
    en: 'The definition was changed meanwhile (now version {version}); reload and try again',
  },
  META_OBJECT_OWNED_BY_MODULE: {
    status: 409,
    'zh-CN': '定义 {kind} {name} 属于模块 {module}，不能删除',
    en: '{kind} {name} belongs to module {module} and cannot be deleted',
  },
});
