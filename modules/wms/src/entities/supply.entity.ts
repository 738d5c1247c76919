/** Supply: Milk-Run routes (stops in order, a schedule), their runs, and VMI agreements. */
import { action, field, label, linkTo, number, options, qty, status } from './fields.ts';

export const milkRunRouteEntity = {
  name: 'milk_run_route',
  label: label('循环取货路线', 'Milk-Run route'),
  module: 'wms',
  titleField: 'name',
  actions: [action('plan_run', '计划下一趟', 'Plan the next run')],
  fields: [
    field('code', 'string', '编码', 'Code', { required: true, unique: true, maxLength: 30 }),
    field('name', 'string', '名称', 'Name', { required: true, maxLength: 120 }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    field('time_zone', 'string', '时区', 'Time zone', { default: 'Asia/Shanghai', maxLength: 60 }),
    field('departures', 'string', '发车时间', 'Departure times', {
      required: true,
      maxLength: 200,
      description: 'HH:MM, comma-separated',
    }),
    field('return_minutes', 'integer', '返程（分钟）', 'Drive back (min)', { default: 30, min: 0 }),
    field('stops', 'children', '站点', 'Stops', { target: 'milk_run_stop' }),
  ],
};

export const milkRunStopEntity = {
  name: 'milk_run_stop',
  label: label('循环取货站点', 'Milk-Run stop'),
  module: 'wms',
  childOf: 'milk_run_route',
  fields: [
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    field('drive_minutes', 'integer', '行驶（分钟）', 'Drive to stop (min)', { required: true, min: 0 }),
    field('dwell_minutes', 'integer', '停留（分钟）', 'Dwell (min)', { default: 15, min: 0 }),
  ],
};

export const milkRunEntity = {
  name: 'milk_run',
  label: label('循环取货班次', 'Milk-Run'),
  module: 'wms',
  titleField: 'number',
  actions: [action('arrive', '到货', 'Arrive')],
  documents: [
    {
      name: 'route_sheet',
      label: label('路线单', 'Route sheet'),
      path: '/api/v1/wms/milk_run/{id}/route-sheet.pdf',
    },
  ],
  fields: [
    number('MR-{YYYY}{MM}{DD}-{SEQ:3}'),
    linkTo('route', 'milk_run_route', '路线', 'Route', { required: true }),
    field('departure', 'datetime', '发车', 'Departure', { required: true }),
    field('return_at', 'datetime', '返回', 'Return'),
    // Read through the route sheet (a document): as raw JSON it helps nobody on the record page.
    field('plan', 'json', '站点与取货', 'Stops and pickups', { hidden: true }),
    status([
      ['planned', '已计划', 'Planned'],
      ['arrived', '已到货', 'Arrived'],
    ]),
  ],
};

export const vmiAgreementEntity = {
  name: 'vmi_agreement',
  label: label('VMI 协议', 'VMI agreement'),
  module: 'wms',
  titleField: 'code',
  fields: [
    field('code', 'string', '编码', 'Code', { required: true, unique: true, maxLength: 30 }),
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    qty('min_qty', '最低库存', 'Minimum', { required: true, min: '0' }),
    qty('max_qty', '最高库存', 'Maximum', { required: true, min: '0' }),
    field('consignment', 'boolean', '寄售', 'Consignment', { default: false }),
    field('agreed_price', 'money', '寄售结算单价', 'Agreed consignment price', { min: '0' }),
    field('currency', 'string', '币种', 'Currency', { default: 'CNY', maxLength: 3 }),
    field('active', 'boolean', '启用', 'Active', { default: true }),
  ],
};

/**
 * Supplier-owned (consigned) stock, append-only (decision 0066): a `receipt` entry when consigned
 * units arrive (received at zero value into inventory), a `consumption` entry when they are used
 * (shipped, or found gone by a reconciliation), at the agreement's price: what we owe the supplier;
 * a `return` when consigned units go back (a rejected quality hold), owing nothing.
 */
export const consignmentEntryEntity = {
  name: 'consignment_entry',
  label: label('寄售库存记录', 'Consignment entry'),
  module: 'wms',
  titleField: 'number',
  actions: [action('bill', '转应付', 'Mark as billed')],
  fields: [
    number('CSG-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('agreement', 'vmi_agreement', 'VMI 协议', 'VMI agreement', { required: true }),
    linkTo('supplier', 'wms_supplier', '供应商', 'Supplier', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    options(
      'kind',
      '类型',
      'Kind',
      [
        ['receipt', '寄售入库', 'Consigned receipt'],
        ['consumption', '寄售消耗', 'Consumption'],
        ['return', '退回供应商', 'Returned to supplier'],
      ],
      { required: true },
    ),
    qty('quantity', '数量', 'Quantity', { required: true, min: '0' }),
    field('unit_price', 'money', '结算单价', 'Agreed price'),
    field('amount', 'money', '应付金额', 'Amount owed'),
    field('currency', 'string', '币种', 'Currency', { maxLength: 3 }),
    field('source_type', 'string', '来源类型', 'Source type', { maxLength: 40 }),
    field('source_id', 'string', '来源', 'Source', { maxLength: 40 }),
    status([
      ['recorded', '已记录', 'Recorded'],
      ['billed', '已转应付', 'Billed'],
    ]),
  ],
};
