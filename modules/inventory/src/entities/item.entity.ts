import { l, link, select, str } from './fields.ts';

export const itemCategoryEntity = {
  name: 'item_category',
  label: l('物料类别', 'Item category'),
  module: 'inventory',
  titleField: 'name',
  fields: [
    str('code', '编码', 'Code', { required: true, unique: true, maxLength: 30 }),
    str('name', '名称', 'Name', { required: true, maxLength: 120 }),
    link('parent', 'item_category', '上级类别', 'Parent category'),
  ],
};

/** An item: what is stocked, consumed or sold as a service; numbered ITM-YYYYMM-XXXX. */
export const itemEntity = {
  name: 'item',
  label: l('物料', 'Item'),
  module: 'inventory',
  titleField: 'name',
  actions: [
    { name: 'reserve', label: l('预留', 'Reserve') },
    { name: 'release', label: l('释放预留', 'Release reservation') },
  ],
  fields: [
    {
      name: 'code',
      label: l('物料编号', 'Item number'),
      kind: 'sequence',
      sequence: { pattern: 'ITM-{YYYY}{MM}-{SEQ:4}' },
    },
    str('name', '名称', 'Name', { required: true, maxLength: 200 }),
    select(
      'item_type',
      '类型',
      'Type',
      [
        ['stocked', '库存品', 'Stocked'],
        ['consumable', '消耗品', 'Consumable'],
        ['service', '服务', 'Service'],
      ],
      { required: true, default: 'stocked' },
    ),
    link('category', 'item_category', '类别', 'Category'),
    link('base_uom', 'uom', '基本单位', 'Base unit', { required: true }),
    select(
      'tracking',
      '追踪方式',
      'Tracking',
      [
        ['none', '不追踪', 'None'],
        ['lot', '批次', 'Lot'],
        ['serial', '序列号', 'Serial'],
      ],
      { required: true, default: 'none' },
    ),
    select(
      'valuation_method',
      '计价方法',
      'Valuation',
      [
        ['fifo', '先进先出', 'FIFO'],
        ['moving_average', '移动加权平均', 'Moving average'],
      ],
      { required: true, default: 'fifo' },
    ),
    { name: 'shelf_life_days', label: l('保质期（天）', 'Shelf life (days)'), kind: 'integer', min: 0 },
    str('default_supplier', '默认供应商', 'Default supplier', { maxLength: 120 }),
    { name: 'standard_cost', label: l('标准成本', 'Standard cost'), kind: 'money' },
    str('barcode', '条码', 'Barcode', { unique: true, maxLength: 64 }),
    {
      name: 'lead_time_days',
      label: l('采购提前期（天）', 'Lead time (days)'),
      kind: 'integer',
      min: 0,
      default: 0,
    },
    { name: 'active', label: l('启用', 'Active'), kind: 'boolean', default: true },
  ],
};
