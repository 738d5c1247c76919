import { defineErrors } from '@tenon/core';

export const InventoryErrors = defineErrors({
  INVENTORY_INVALID_MOVE: {
    status: 422,
    'zh-CN': '库存移动无效（第 {line} 行）：{reason}',
    en: 'Invalid stock move (line {line}): {reason}',
  },
  INVENTORY_INSUFFICIENT_STOCK: {
    status: 409,
    'zh-CN': '库存不足：物料 {item} 在库位 {location} 仅有 {onHand}，需要 {needed}',
    en: 'Insufficient stock: item {item} has {onHand} at location {location}, {needed} needed',
  },
  INVENTORY_INSUFFICIENT_AVAILABLE: {
    status: 409,
    'zh-CN': '可用量不足：物料 {item} 可用 {available}，请求 {requested}',
    en: 'Not enough available: item {item} has {available} available, {requested} requested',
  },
  INVENTORY_SERIAL_UNAVAILABLE: {
    status: 409,
    'zh-CN': '序列号 {serial} 不可用（不在该库位、已在库或已被预留）',
    en: 'Serial {serial} is not available (not at that location, already in stock, or reserved)',
  },
  INVENTORY_NOT_FOUND: {
    status: 404,
    'zh-CN': '找不到{what}：{id}',
    en: 'Not found: {what} {id}',
  },
  INVENTORY_IDEMPOTENCY_CONFLICT: {
    status: 409,
    'zh-CN': '幂等键 {key} 已用于另一笔不同的库存移动',
    en: 'Idempotency key {key} was already used for a different stock move',
  },
  INVENTORY_MOVE_NOT_DRAFT: {
    status: 409,
    'zh-CN': '只有草稿状态的库存移动可以过账（当前：{status}）',
    en: 'Only a draft stock move can be posted (it is {status})',
  },
  INVENTORY_MOVE_NOT_POSTED: {
    status: 409,
    'zh-CN': '只有已过账的库存移动可以冲销（当前：{status}）',
    en: 'Only a posted stock move can be cancelled (it is {status})',
  },
  INVENTORY_REVERSAL_CONSUMED: {
    status: 409,
    'zh-CN': '无法冲销：该入库形成的成本层已被消耗',
    en: 'Cannot reverse: the cost layer this receipt created has already been consumed',
  },
  INVENTORY_RESERVATION_NOT_ACTIVE: {
    status: 409,
    'zh-CN': '预留 {id} 不是有效状态',
    en: 'Reservation {id} is not active',
  },
  INVENTORY_COUNT_WRONG_STATUS: {
    status: 409,
    'zh-CN': '盘点单当前状态（{status}）不允许此操作',
    en: 'The count session is {status}: this step is not allowed now',
  },
  INVENTORY_UOM_NO_CONVERSION: {
    status: 422,
    'zh-CN': '第 {line} 行：该单位与物料的基本单位之间没有换算关系',
    en: "Line {line}: no conversion links this unit to the item's base unit",
  },
  INVENTORY_UOM_NOT_REPRESENTABLE: {
    status: 422,
    'zh-CN': '第 {line} 行：换算后的数量 {quantity} 超出基本单位的 {precision} 位小数',
    en: "Line {line}: the converted quantity {quantity} has more than the base unit's {precision} decimal places",
  },
  INVENTORY_BAD_INPUT: {
    status: 400,
    'zh-CN': '参数无效：{field} {reason}',
    en: 'Invalid input: {field} {reason}',
  },
});
