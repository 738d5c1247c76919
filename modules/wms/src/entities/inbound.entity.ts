/** Inbound: suppliers, advance shipping notices (ASN), receipts by scan and putaway tasks. */
import { action, field, label, linkTo, number, options, qty, status } from './fields.ts';

export const supplierEntity = {
  name: 'wms_supplier',
  label: label('供应商', 'Supplier'),
  module: 'wms',
  titleField: 'name',
  fields: [
    field('code', 'string', '编码', 'Code', { required: true, unique: true, maxLength: 30 }),
    field('name', 'string', '名称', 'Name', { required: true, maxLength: 120 }),
    field('address', 'string', '地址', 'Address', { maxLength: 300 }),
    field('contact', 'string', '联系人', 'Contact', { maxLength: 120 }),
  ],
};

export const asnEntity = {
  name: 'asn',
  label: label('到货通知', 'Advance shipping notice'),
  module: 'wms',
  titleField: 'number',
  actions: [
    action('submit', '提交', 'Submit'),
    action('receive', '扫码收货', 'Receive by scan'),
    action('close', '完成收货', 'Close receiving'),
    action('cancel', '取消', 'Cancel'),
  ],
  fields: [
    number('ASN-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    linkTo('receiving_location', 'location', '收货库位', 'Receiving location'),
    field('expected_date', 'date', '预计到货日期', 'Expected date', { required: true }),
    options(
      'source',
      '来源',
      'Source',
      [
        ['manual', '手工录入', 'Entered'],
        ['portal', '供应商门户', 'Supplier portal'],
        ['vmi', 'VMI 补货', 'VMI replenishment'],
        ['milk_run', '循环取货', 'Milk-Run'],
      ],
      { default: 'manual' },
    ),
    field('reference', 'string', '供应商单号', 'Supplier reference', { maxLength: 60 }),
    field('quality_hold', 'boolean', '质检暂扣', 'Quality hold', { default: false }),
    field('process_id', 'string', '收货任务', 'Receive task', { maxLength: 40, actionOwned: true }),
    status([
      ['draft', '草稿', 'Draft'],
      ['submitted', '已提交', 'Submitted'],
      ['receiving', '收货中', 'Receiving'],
      ['received', '已收货', 'Received'],
      ['cancelled', '已取消', 'Cancelled'],
    ]),
    field('lines', 'children', '明细', 'Lines', { target: 'asn_line' }),
  ],
};

export const asnLineEntity = {
  name: 'asn_line',
  label: label('到货通知明细', 'ASN line'),
  module: 'wms',
  childOf: 'asn',
  fields: [
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    qty('quantity', '预计数量', 'Expected quantity', { required: true, min: '0' }),
    field('lot_no', 'string', '批号', 'Lot number', { maxLength: 60 }),
    field('expires_on', 'date', '有效期至', 'Expires on'),
    qty('received_qty', '已收数量', 'Received quantity', { default: '0', readOnly: true }),
    qty('damaged_qty', '破损数量', 'Damaged quantity', { default: '0', readOnly: true }),
  ],
};

export const receiptEntity = {
  name: 'goods_receipt',
  label: label('收货记录', 'Goods receipt'),
  module: 'wms',
  titleField: 'number',
  actions: [action('release_hold', '质检放行', 'Release from hold'), action('reject', '质检拒收', 'Reject')],
  fields: [
    number('GR-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('asn', 'asn', '到货通知', 'ASN'),
    linkTo('transfer_order', 'transfer_order', '调拨单', 'Transfer order'),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    linkTo('location', 'location', '收货库位', 'Receiving location', { required: true }),
    qty('quantity', '合格数量', 'Accepted quantity', { required: true }),
    qty('damaged_qty', '破损数量', 'Damaged quantity', { default: '0' }),
    options(
      'variance',
      '差异',
      'Variance',
      [
        ['none', '无', 'None'],
        ['over', '超收', 'Over'],
        ['under', '短收', 'Under'],
      ],
      { default: 'none' },
    ),
    field('scanned_code', 'string', '扫描条码', 'Scanned code', { maxLength: 120 }),
    options(
      'quality',
      '质检',
      'Quality',
      [
        ['none', '免检', 'Not held'],
        ['held', '暂扣待检', 'On hold'],
        ['released', '已放行', 'Released'],
        ['rejected', '已拒收', 'Rejected'],
      ],
      { default: 'none', actionOwned: true },
    ),
    field('stock_move', 'string', '库存移动', 'Stock move', { maxLength: 40 }),
    field('serials', 'json', '序列号', 'Serials'),
  ],
};

export const putawayTaskEntity = {
  name: 'putaway_task',
  label: label('上架任务', 'Putaway task'),
  module: 'wms',
  titleField: 'number',
  actions: [action('confirm', '扫码确认上架', 'Confirm by scan')],
  fields: [
    number('PA-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('receipt', 'goods_receipt', '收货记录', 'Goods receipt', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    qty('quantity', '数量', 'Quantity', { required: true }),
    linkTo('from_location', 'location', '来源库位', 'From location', { required: true }),
    linkTo('suggested_location', 'location', '建议库位', 'Suggested location'),
    options('reason', '建议依据', 'Suggestion rule', [
      ['fixed_bin', '固定货位', 'Fixed bin'],
      ['same_lot', '同批次货位', 'Bin with the lot'],
      ['same_item', '同物料货位', 'Bin with the item'],
      ['nearest_empty', '最近空货位', 'Nearest empty bin'],
      ['class_zone', '类别库区', 'Class zone'],
    ]),
    field('serials', 'json', '序列号', 'Serials'),
    linkTo('to_location', 'location', '实际库位', 'Put to location'),
    field('stock_move', 'string', '库存移动', 'Stock move', { maxLength: 40 }),
    field('process_id', 'string', '任务进程', 'Task process', { maxLength: 40, actionOwned: true }),
    status([
      ['open', '待上架', 'Open'],
      ['done', '已上架', 'Done'],
    ]),
  ],
};

/**
 * Cross-docking: received units taken straight to the outbound dock for a delivery order that was
 * waiting for them (back-ordered), reserved for it there instead of being put away.
 */
export const crossDockEntity = {
  name: 'cross_dock',
  label: label('越库', 'Cross-dock'),
  module: 'wms',
  titleField: 'number',
  fields: [
    number('XD-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('receipt', 'goods_receipt', '收货记录', 'Goods receipt', { required: true }),
    linkTo('delivery_order', 'delivery_order', '发货单', 'Delivery order', { required: true }),
    field('order_line', 'string', '发货单行', 'Order line', { maxLength: 40 }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    linkTo('location', 'location', '出库暂存位', 'Outbound dock', { required: true }),
    qty('quantity', '数量', 'Quantity', { required: true }),
    field('reservation', 'string', '预留', 'Reservation', { maxLength: 40 }),
  ],
};
