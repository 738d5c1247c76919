/** Outbound: delivery orders, waves, pick lists, cartons and shipments. */
import { action, field, label, linkTo, number, options, qty, status } from './fields.ts';

const PICK_KINDS: [string, string, string][] = [
  ['order', '按单拣货', 'By order'],
  ['batch', '批量拣货', 'Batch'],
  ['cluster', '分播拣货', 'Cluster'],
  ['zone', '分区拣货', 'Zone'],
];

export const deliveryOrderEntity = {
  name: 'delivery_order',
  label: label('发货单', 'Delivery order'),
  module: 'wms',
  titleField: 'number',
  documents: [
    {
      name: 'packing_list',
      label: label('装箱单', 'Packing list'),
      path: '/api/v1/wms/delivery_order/{id}/packing-list.pdf',
    },
    {
      name: 'delivery_note',
      label: label('送货单', 'Delivery note'),
      path: '/api/v1/wms/delivery_order/{id}/delivery-note.pdf',
    },
  ],
  actions: [
    action('reserve', '预留库存', 'Reserve stock'),
    action('pack', '装箱', 'Pack'),
    action('ship', '发运', 'Ship'),
    action('cancel', '取消', 'Cancel'),
  ],
  fields: [
    number('DO-{YYYY}{MM}{DD}-{SEQ:4}'),
    field('customer', 'string', '客户', 'Customer', { required: true, maxLength: 120 }),
    field('ship_to', 'string', '收货地址', 'Ship to', { maxLength: 300 }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    field('carrier', 'string', '承运商', 'Carrier', { maxLength: 60 }),
    field('route', 'string', '线路', 'Route', { maxLength: 60 }),
    field('priority', 'integer', '优先级', 'Priority', { default: 50, min: 0, max: 100 }),
    field('cutoff', 'datetime', '截单时间', 'Cut-off'),
    field('allow_backorder', 'boolean', '允许分批发货', 'Allow back-orders', { default: true }),
    linkTo('backorder_of', 'delivery_order', '欠货来源', 'Back-order of'),
    linkTo('wave', 'wave', '波次', 'Wave', { actionOwned: true }),
    field('process_id', 'string', '装箱任务', 'Pack task', { maxLength: 40, actionOwned: true }),
    status([
      ['draft', '草稿', 'Draft'],
      ['reserved', '已预留', 'Reserved'],
      ['waved', '已组波', 'In a wave'],
      ['picked', '已拣货', 'Picked'],
      ['packed', '已装箱', 'Packed'],
      ['shipped', '已发运', 'Shipped'],
      ['cancelled', '已取消', 'Cancelled'],
    ]),
    field('lines', 'children', '明细', 'Lines', { target: 'delivery_order_line' }),
  ],
};

export const deliveryOrderLineEntity = {
  name: 'delivery_order_line',
  label: label('发货单明细', 'Delivery order line'),
  module: 'wms',
  childOf: 'delivery_order',
  fields: [
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    qty('quantity', '数量', 'Quantity', { required: true, min: '0' }),
    qty('reserved_qty', '已预留', 'Reserved', { default: '0' }),
    qty('picked_qty', '已拣', 'Picked', { default: '0' }),
    qty('backorder_qty', '欠货', 'Back-ordered', { default: '0' }),
  ],
};

export const waveEntity = {
  name: 'wave',
  label: label('波次', 'Wave'),
  module: 'wms',
  titleField: 'number',
  actions: [action('release', '释放波次', 'Release')],
  fields: [
    number('WV-{YYYY}{MM}{DD}-{SEQ:3}'),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    field('group_key', 'string', '分组', 'Grouping', { maxLength: 300 }),
    field('carrier', 'string', '承运商', 'Carrier', { maxLength: 60 }),
    field('order_count', 'integer', '订单数', 'Orders', {}),
    field('line_count', 'integer', '行数', 'Lines', {}),
    field('earliest_cutoff', 'datetime', '最早截单', 'Earliest cut-off', {}),
    field('late', 'boolean', '已超时', 'Late', { default: false }),
    options(
      'pick_kind',
      '拣货方式',
      'Picking',
      [
        ['order', '按单拣货', 'By order'],
        ['batch', '批量拣货', 'Batch'],
        ['cluster', '分播拣货', 'Cluster'],
        ['zone', '分区拣货', 'Zone'],
      ],
      { default: 'batch' },
    ),
    field('orders_per_list', 'integer', '每单拣货订单数', 'Orders per list', { min: 1 }),
    field('route_length', 'decimal', '优化路径（米）', 'Optimised route (m)', { scale: 2 }),
    field('naive_length', 'decimal', '按库位名路径（米）', 'Route in name order (m)', { scale: 2 }),
    status([
      ['planned', '已计划', 'Planned'],
      ['released', '已释放', 'Released'],
      ['picked', '已拣完', 'Picked'],
    ]),
  ],
};

/**
 * A waving run: the wave rule applied to the warehouse's reserved orders, by hand or at fixed times
 * (a cron rule creates one; the module's rule `wms_run_wave_plan` runs it). With `auto_release` the
 * new waves are released into pick lists at once.
 */
export const wavePlanEntity = {
  name: 'wave_plan',
  label: label('组波计划', 'Wave plan'),
  module: 'wms',
  titleField: 'number',
  actions: [action('run', '执行组波', 'Run')],
  fields: [
    number('WP-{YYYY}{MM}{DD}-{SEQ:3}'),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    field('group_by', 'string', '分组依据', 'Group by', {
      default: 'carrier',
      maxLength: 60,
      description: 'carrier, route, priority, cutoff (comma-separated)',
    }),
    field('window_minutes', 'integer', '截单时间窗（分钟）', 'Cut-off window (min)', { min: 1 }),
    field('max_orders', 'integer', '每波最多订单', 'Max orders per wave', { min: 1 }),
    field('max_lines', 'integer', '每波最多行数', 'Max lines per wave', { min: 1 }),
    field('horizon_minutes', 'integer', '展望期（分钟）', 'Horizon (min)', { min: 1 }),
    options('pick_kind', '拣货方式', 'Picking', PICK_KINDS, { default: 'batch' }),
    field('orders_per_list', 'integer', '每单拣货订单数', 'Orders per list', { min: 1 }),
    field('auto_release', 'boolean', '自动释放', 'Release at once', { default: false }),
    field('waves_created', 'integer', '生成波次数', 'Waves created', { actionOwned: true }),
    field('orders_deferred', 'integer', '延后订单数', 'Orders deferred', { actionOwned: true }),
    status([
      ['open', '待执行', 'Open'],
      ['done', '已执行', 'Done'],
    ]),
  ],
};

export const pickListEntity = {
  name: 'pick_list',
  label: label('拣货单', 'Pick list'),
  module: 'wms',
  titleField: 'number',
  actions: [action('confirm_pick', '扫码确认拣货', 'Confirm pick by scan')],
  fields: [
    number('PK-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('wave', 'wave', '波次', 'Wave', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    options('kind', '拣货方式', 'Picking', [
      ['order', '按单拣货', 'By order'],
      ['batch', '批量拣货', 'Batch'],
      ['cluster', '分播拣货', 'Cluster'],
      ['zone', '分区拣货', 'Zone'],
    ]),
    field('zone', 'string', '库区', 'Zone', { maxLength: 60 }),
    field('route_method', 'string', '路径算法', 'Route method', { maxLength: 20 }),
    field('route_length', 'decimal', '优化路径（米）', 'Optimised route (m)', { scale: 2 }),
    field('naive_length', 'decimal', '按库位名路径（米）', 'Route in name order (m)', { scale: 2 }),
    field('process_id', 'string', '任务进程', 'Task process', { maxLength: 40, actionOwned: true }),
    status([
      ['open', '待拣货', 'Open'],
      ['picking', '拣货中', 'Picking'],
      ['done', '已完成', 'Done'],
    ]),
    field('lines', 'children', '明细', 'Lines', { target: 'pick_list_line' }),
  ],
};

export const pickListLineEntity = {
  name: 'pick_list_line',
  label: label('拣货明细', 'Pick line'),
  module: 'wms',
  childOf: 'pick_list',
  fields: [
    field('sequence', 'integer', '顺序', 'Sequence', { required: true }),
    linkTo('location', 'location', '库位', 'Bin', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    qty('quantity', '应拣', 'To pick', { required: true }),
    qty('picked_qty', '实拣', 'Picked', { default: '0' }),
    linkTo('delivery_order', 'delivery_order', '发货单', 'Delivery order', { required: true }),
    field('order_line', 'string', '发货单行', 'Order line', { maxLength: 40 }),
    field('reservation', 'string', '预留', 'Reservation', { maxLength: 40 }),
    field('tote', 'integer', '周转箱', 'Tote'),
    options(
      'outcome',
      '结果',
      'Outcome',
      [
        ['open', '待拣', 'Open'],
        ['picked', '已拣', 'Picked'],
        ['short', '短拣', 'Short'],
      ],
      { default: 'open' },
    ),
  ],
};

export const cartonEntity = {
  name: 'carton',
  label: label('包装箱', 'Carton'),
  module: 'wms',
  titleField: 'number',
  fields: [
    number('CTN-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('delivery_order', 'delivery_order', '发货单', 'Delivery order', { required: true }),
    field('carton_type', 'string', '箱型', 'Carton type', { maxLength: 40 }),
    field('weight_kg', 'decimal', '重量（kg）', 'Weight (kg)', { scale: 3, min: '0' }),
    field('contents', 'json', '箱内物品', 'Contents'),
    linkTo('shipment', 'shipment', '发运', 'Shipment'),
  ],
};

export const shipmentEntity = {
  name: 'shipment',
  label: label('发运', 'Shipment'),
  module: 'wms',
  titleField: 'number',
  fields: [
    number('SHP-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('delivery_order', 'delivery_order', '发货单', 'Delivery order', { required: true }),
    field('carrier', 'string', '承运商', 'Carrier', { required: true, maxLength: 60 }),
    field('tracking_number', 'string', '运单号', 'Tracking number', { required: true, maxLength: 80 }),
    field('shipped_at', 'datetime', '发运时间', 'Shipped at'),
    field('total_weight_kg', 'decimal', '总重量（kg）', 'Total weight (kg)', { scale: 3 }),
    field('stock_move', 'string', '库存移动', 'Stock move', { maxLength: 40 }),
  ],
};
