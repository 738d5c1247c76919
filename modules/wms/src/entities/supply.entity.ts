/** Supply: Milk-Run routes (stops in order, a schedule), their runs, and VMI agreements. */
import { action, field, label, linkTo, number, qty, status } from './fields.ts';

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
  fields: [
    number('MR-{YYYY}{MM}{DD}-{SEQ:3}'),
    linkTo('route', 'milk_run_route', '路线', 'Route', { required: true }),
    field('departure', 'datetime', '发车', 'Departure', { required: true }),
    field('return_at', 'datetime', '返回', 'Return'),
    field('plan', 'json', '站点与取货', 'Stops and pickups'),
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
    field('active', 'boolean', '启用', 'Active', { default: true }),
  ],
};
