import { l, link, qty, select, str } from './fields.ts';

/**
 * A stock move document: drafted through CRUD, then `post` writes its lines to the ledger and
 * `cancel` posts the reversing move. Its status belongs to those actions.
 */
export const stockMoveEntity = {
  name: 'stock_move',
  label: l('库存移动', 'Stock move'),
  module: 'inventory',
  titleField: 'number',
  actions: [
    { name: 'post', label: l('过账', 'Post') },
    { name: 'cancel', label: l('冲销', 'Cancel (reverse)') },
  ],
  fields: [
    {
      name: 'number',
      label: l('单号', 'Number'),
      kind: 'sequence',
      sequence: { pattern: 'SM-{YYYY}{MM}{DD}-{SEQ:4}' },
    },
    select(
      'move_type',
      '类型',
      'Type',
      [
        ['receipt', '入库', 'Receipt'],
        ['issue', '出库', 'Issue'],
        ['transfer', '调拨', 'Transfer'],
        ['adjustment', '调整', 'Adjustment'],
        ['scrap', '报废', 'Scrap'],
      ],
      { required: true },
    ),
    link('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    {
      name: 'posting_date',
      label: l('过账日期', 'Posting date'),
      kind: 'date',
      required: true,
      default: '$today',
    },
    str('source_type', '来源单据类型', 'Source document type', { maxLength: 48 }),
    str('source_id', '来源单据', 'Source document', { maxLength: 64 }),
    select(
      'status',
      '状态',
      'Status',
      [
        ['draft', '草稿', 'Draft'],
        ['posted', '已过账', 'Posted'],
        ['cancelled', '已冲销', 'Cancelled'],
      ],
      { default: 'draft', actionOwned: true },
    ),
    { name: 'lines', label: l('明细', 'Lines'), kind: 'children', target: 'stock_move_line' },
  ],
};

export const stockMoveLineEntity = {
  name: 'stock_move_line',
  label: l('库存移动明细', 'Stock move line'),
  module: 'inventory',
  childOf: 'stock_move',
  fields: [
    link('item', 'item', '物料', 'Item', { required: true }),
    link('from_location', 'location', '来源库位', 'From location'),
    link('to_location', 'location', '目标库位', 'To location'),
    link('lot', 'lot', '批次', 'Lot'),
    link('serial', 'serial_number', '序列号', 'Serial'),
    qty('quantity', '数量', 'Quantity', { required: true }),
    link('uom', 'uom', '单位（空 = 基本单位）', 'Unit (empty = base unit)'),
    { name: 'unit_cost', label: l('单位成本', 'Unit cost'), kind: 'money' },
  ],
};
