/**
 * Kanban for Milk-Run: a card stands for one container of an item from a supplier, delivered to a
 * bin; signalling it (by API or by scanning the card) asks for a refill, which the next run of the
 * Milk-Run route visiting that supplier picks up (decision 0067).
 */
import { action, field, label, linkTo, number, qty, status } from './fields.ts';

export const kanbanCardEntity = {
  name: 'kanban_card',
  label: label('看板卡', 'Kanban card'),
  module: 'wms',
  titleField: 'code',
  actions: [action('signal', '发出看板信号', 'Signal')],
  fields: [
    field('code', 'string', '卡号', 'Card code', { required: true, unique: true, maxLength: 40 }),
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    linkTo('location', 'location', '送达库位', 'Deliver to bin'),
    qty('quantity', '每卡数量', 'Quantity per card', { required: true, min: '0' }),
    field('lead_days', 'integer', '需求提前期（天）', 'Needed within (days)', { default: 1, min: 0 }),
    field('active', 'boolean', '启用', 'Active', { default: true }),
  ],
};

export const kanbanSignalEntity = {
  name: 'kanban_signal',
  label: label('看板信号', 'Kanban signal'),
  module: 'wms',
  titleField: 'number',
  fields: [
    number('KS-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('card', 'kanban_card', '看板卡', 'Card', { required: true }),
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    linkTo('location', 'location', '送达库位', 'Deliver to bin'),
    qty('quantity', '数量', 'Quantity', { required: true }),
    field('due_date', 'date', '需求日期', 'Needed by', { required: true }),
    linkTo('milk_run', 'milk_run', '循环取货班次', 'Milk-Run', { actionOwned: true }),
    linkTo('asn', 'asn', '到货通知', 'ASN', { actionOwned: true }),
    status([
      ['open', '待取货', 'Open'],
      ['planned', '已排班', 'On a run'],
      ['arrived', '已到货', 'Arrived'],
    ]),
  ],
};
