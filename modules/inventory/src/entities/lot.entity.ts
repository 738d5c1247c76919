import { l, link, str } from './fields.ts';

/** A lot (batch) of one item: LOT-YYYYMMDD-SEQ, with its expiry date for FEFO. */
export const lotEntity = {
  name: 'lot',
  label: l('批次', 'Lot'),
  module: 'inventory',
  titleField: 'code',
  fields: [
    {
      name: 'code',
      label: l('批次号', 'Lot number'),
      kind: 'sequence',
      sequence: { pattern: 'LOT-{YYYY}{MM}{DD}-{SEQ:3}' },
    },
    link('item', 'item', '物料', 'Item', { required: true }),
    { name: 'manufactured_on', label: l('生产日期', 'Manufactured on'), kind: 'date' },
    { name: 'expires_on', label: l('有效期至', 'Expires on'), kind: 'date', index: true },
    str('supplier_lot', '供应商批号', 'Supplier lot', { maxLength: 60 }),
  ],
};

/** One serial-numbered unit (SN-LOT-YYYYMMDD-SEQ-XXXX when it comes from a lot). */
export const serialEntity = {
  name: 'serial_number',
  label: l('序列号', 'Serial number'),
  module: 'inventory',
  titleField: 'serial_no',
  fields: [
    str('serial_no', '序列号', 'Serial number', { required: true, unique: true, maxLength: 64 }),
    link('item', 'item', '物料', 'Item', { required: true }),
    link('lot', 'lot', '批次', 'Lot'),
  ],
};

/** Min/max and reorder point of one item in one warehouse. */
export const reorderRuleEntity = {
  name: 'reorder_rule',
  label: l('补货规则', 'Reorder rule'),
  module: 'inventory',
  fields: [
    link('item', 'item', '物料', 'Item', { required: true }),
    link('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    { name: 'min_qty', label: l('最低库存', 'Minimum'), kind: 'quantity', required: true },
    { name: 'max_qty', label: l('最高库存', 'Maximum'), kind: 'quantity', required: true },
    { name: 'reorder_point', label: l('再订货点', 'Reorder point'), kind: 'quantity' },
    { name: 'lead_time_days', label: l('提前期（天）', 'Lead time (days)'), kind: 'integer', min: 0 },
  ],
  unique: [['item', 'warehouse']],
};
