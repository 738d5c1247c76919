import { l, link, qty, select, str } from './fields.ts';

/**
 * A cycle count session: counters add lines (location, item, lot/serial, counted quantity) without
 * seeing the book quantity (blind); `submit` records the book quantity and variance per line,
 * `approve` posts the variances as one adjustment move.
 */
export const countSessionEntity = {
  name: 'count_session',
  label: l('盘点单', 'Count session'),
  module: 'inventory',
  titleField: 'number',
  actions: [
    { name: 'submit', label: l('提交', 'Submit') },
    { name: 'approve', label: l('审批并调整', 'Approve and adjust') },
  ],
  fields: [
    {
      name: 'number',
      label: l('单号', 'Number'),
      kind: 'sequence',
      sequence: { pattern: 'CNT-{YYYY}{MM}{DD}-{SEQ:3}' },
    },
    link('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    link('zone', 'location', '库区', 'Zone'),
    select('abc_class', 'ABC 类', 'ABC class', [
      ['A', 'A', 'A'],
      ['B', 'B', 'B'],
      ['C', 'C', 'C'],
    ]),
    {
      name: 'posting_date',
      label: l('过账日期', 'Posting date'),
      kind: 'date',
      required: true,
      default: '$today',
    },
    select(
      'status',
      '状态',
      'Status',
      [
        ['counting', '盘点中', 'Counting'],
        ['submitted', '待审批', 'Submitted'],
        ['approved', '已调整', 'Approved'],
      ],
      { default: 'counting', actionOwned: true },
    ),
    str('adjustment_move', '调整单', 'Adjustment move', { maxLength: 64, actionOwned: true }),
    { name: 'lines', label: l('盘点明细', 'Count lines'), kind: 'children', target: 'count_line' },
  ],
};

export const countLineEntity = {
  name: 'count_line',
  label: l('盘点明细', 'Count line'),
  module: 'inventory',
  childOf: 'count_session',
  fields: [
    link('location', 'location', '库位', 'Location', { required: true }),
    link('item', 'item', '物料', 'Item', { required: true }),
    link('lot', 'lot', '批次', 'Lot'),
    link('serial', 'serial_number', '序列号', 'Serial'),
    qty('counted_qty', '实盘数量', 'Counted quantity', { required: true }),
    qty('book_qty', '账面数量', 'Book quantity', { actionOwned: true }),
    qty('variance', '差异', 'Variance', { actionOwned: true }),
  ],
};
