/**
 * Transfers between warehouses: a transfer order ships stock from bins of one warehouse into the
 * company's in-transit warehouse (decision 0065) and is received by scan at the other, partly or
 * whole, with damaged and missing units recorded per line.
 */
import { action, field, label, linkTo, number, qty, status } from './fields.ts';

/** The company's in-transit warehouse (created at the first shipment when missing). */
export const transitEntity = {
  name: 'wms_transit',
  label: label('在途仓', 'In-transit warehouse'),
  module: 'wms',
  titleField: 'company',
  fields: [
    linkTo('company', 'company', '公司', 'Company', { required: true, unique: true }),
    linkTo('warehouse', 'warehouse', '在途仓库', 'In-transit warehouse', { required: true }),
  ],
};

export const transferOrderEntity = {
  name: 'transfer_order',
  label: label('调拨单', 'Transfer order'),
  module: 'wms',
  titleField: 'number',
  actions: [
    action('ship', '调出发运', 'Ship'),
    action('receive', '扫码收货', 'Receive by scan'),
    action('close', '完成收货', 'Close receiving'),
    action('cancel', '取消', 'Cancel'),
  ],
  fields: [
    number('TO-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('from_warehouse', 'warehouse', '调出仓库', 'From warehouse', { required: true }),
    linkTo('to_warehouse', 'warehouse', '调入仓库', 'To warehouse', { required: true }),
    field('expected_date', 'date', '预计到达', 'Expected arrival'),
    linkTo('transit_location', 'location', '在途库位', 'In-transit location', { actionOwned: true }),
    linkTo('receiving_location', 'location', '收货库位', 'Receiving location', { actionOwned: true }),
    field('shipped_at', 'datetime', '发运时间', 'Shipped at', { actionOwned: true }),
    field('process_id', 'string', '收货任务', 'Receive task', { maxLength: 40, actionOwned: true }),
    status([
      ['draft', '草稿', 'Draft'],
      ['shipped', '在途', 'In transit'],
      ['receiving', '收货中', 'Receiving'],
      ['received', '已收货', 'Received'],
      ['cancelled', '已取消', 'Cancelled'],
    ]),
    field('lines', 'children', '明细', 'Lines', { target: 'transfer_order_line' }),
  ],
};

export const transferOrderLineEntity = {
  name: 'transfer_order_line',
  label: label('调拨明细', 'Transfer line'),
  module: 'wms',
  childOf: 'transfer_order',
  fields: [
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    linkTo('from_location', 'location', '调出库位', 'From bin', { required: true }),
    qty('quantity', '调拨数量', 'Quantity', { required: true, min: '0' }),
    qty('in_transit_qty', '在途数量', 'In transit', { default: '0', readOnly: true }),
    qty('received_qty', '已收数量', 'Received', { default: '0', readOnly: true }),
    qty('damaged_qty', '破损数量', 'Damaged', { default: '0', readOnly: true }),
    qty('lost_qty', '途损短少', 'Missing', { default: '0', readOnly: true }),
  ],
};
