import { defineErrors } from '@tenon/core';

/** Errors the warehouse domain raises on bad input; every one is a 4xx and nothing is written. */
export const WmsErrors = defineErrors({
  WMS_LAYOUT_INVALID: {
    status: 422,
    'zh-CN': '仓库布局无效：{reason}',
    en: 'The warehouse layout is invalid: {reason}',
  },
  WMS_UNKNOWN_BIN: { status: 422, 'zh-CN': '库位不存在：{bin}', en: 'Unknown bin: {bin}' },
  WMS_ROUTE_TOO_MANY_STOPS: {
    status: 422,
    'zh-CN': '精确路径最多支持 {max} 个站点（当前 {count} 个）',
    en: 'The exact route handles at most {max} stops ({count} given)',
  },
  WMS_INVALID_QUANTITY: {
    status: 422,
    'zh-CN': '数量无效：{field} = {value}',
    en: 'Invalid quantity: {field} = {value}',
  },
  WMS_INVALID_SCHEDULE: {
    status: 422,
    'zh-CN': '计划无效：{reason}',
    en: 'Invalid schedule: {reason}',
  },
  WMS_INVALID_WAVE_RULE: {
    status: 422,
    'zh-CN': '波次规则无效：{reason}',
    en: 'Invalid wave rule: {reason}',
  },
  WMS_OVER_PICK: {
    status: 422,
    'zh-CN': '拣货数量 {picked} 超过需求数量 {requested}',
    en: 'Picked quantity {picked} exceeds the requested {requested}',
  },
  WMS_UNIT_MISMATCH: {
    status: 422,
    'zh-CN': '计量单位不一致：{a} 与 {b}',
    en: 'Units of measure differ: {a} vs {b}',
  },
  WMS_BAD_INPUT: {
    status: 400,
    'zh-CN': '输入无效：{field}：{reason}',
    en: 'Invalid input: {field}: {reason}',
  },
  WMS_BAD_STATE: {
    status: 409,
    'zh-CN': '{entity} 当前状态为 {status}，不能{action}',
    en: 'The {entity} is {status}; it cannot {action}',
  },
  WMS_SCAN_MISMATCH: {
    status: 422,
    'zh-CN': '扫描的条码不匹配：{code}（期望 {expected}）',
    en: 'The scanned code does not match: {code} (expected {expected})',
  },
  WMS_NOT_ON_DOCUMENT: {
    status: 422,
    'zh-CN': '物料 {item} 不在单据上或已收齐',
    en: 'Item {item} is not on the document or is fully received',
  },
  WMS_NO_BIN_STOCK: {
    status: 409,
    'zh-CN': '没有库位存有物料 {item} 的预留库存',
    en: 'No bin holds the reserved stock of item {item}',
  },
  WMS_SERIAL_DUPLICATE: {
    status: 409,
    'zh-CN': '序列号重复扫描：{serial}',
    en: 'Serial scanned twice: {serial}',
  },
  WMS_SERIAL_IN_STOCK: {
    status: 409,
    'zh-CN': '序列号 {serial} 已在库存中',
    en: 'Serial {serial} is already in stock',
  },
  WMS_OVER_RECEIPT: {
    status: 422,
    'zh-CN': '收货数量超过在途数量：还可收 {open}',
    en: 'More than was shipped: {open} still open',
  },
  WMS_PORTAL_NO_SUPPLIER: {
    status: 403,
    'zh-CN': '该用户未关联供应商',
    en: 'This user is not linked to a supplier',
  },
});
