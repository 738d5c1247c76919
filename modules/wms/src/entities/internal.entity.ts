/** Internal moves: pick faces with min/max, and move tasks that replenish them from reserve. */
import { action, field, label, linkTo, number, options, qty, status } from './fields.ts';

export const pickFaceEntity = {
  name: 'pick_face',
  label: label('拣货位', 'Pick face'),
  module: 'wms',
  titleField: 'code',
  fields: [
    field('code', 'string', '编码', 'Code', { required: true, unique: true, maxLength: 40 }),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    linkTo('location', 'location', '库位', 'Bin', { required: true }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    qty('min_qty', '最低', 'Minimum', { required: true, min: '0' }),
    qty('max_qty', '最高', 'Maximum', { required: true, min: '0' }),
    qty('case_qty', '整箱数量', 'Case quantity', { min: '0' }),
    field('active', 'boolean', '启用', 'Active', { default: true }),
  ],
};

export const moveTaskEntity = {
  name: 'move_task',
  label: label('移库任务', 'Move task'),
  module: 'wms',
  titleField: 'number',
  actions: [action('confirm', '扫码确认', 'Confirm by scan')],
  fields: [
    number('MV-{YYYY}{MM}{DD}-{SEQ:4}'),
    linkTo('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    options('reason', '原因', 'Reason', [['replenishment', '补货', 'Replenishment']], {
      default: 'replenishment',
    }),
    linkTo('item', 'item', '物料', 'Item', { required: true }),
    linkTo('lot', 'lot', '批次', 'Lot'),
    qty('quantity', '数量', 'Quantity', { required: true }),
    linkTo('from_location', 'location', '来源库位', 'From bin', { required: true }),
    linkTo('to_location', 'location', '目标库位', 'To bin', { required: true }),
    field('stock_move', 'string', '库存移动', 'Stock move', { maxLength: 40 }),
    field('process_id', 'string', '任务进程', 'Task process', { maxLength: 40, actionOwned: true }),
    status([
      ['open', '待移库', 'Open'],
      ['done', '已完成', 'Done'],
    ]),
  ],
};
