import { l, link, select, str } from './fields.ts';

/** A warehouse belongs to one company; negative stock is refused unless it says otherwise. */
export const warehouseEntity = {
  name: 'warehouse',
  label: l('仓库', 'Warehouse'),
  module: 'inventory',
  titleField: 'name',
  fields: [
    str('code', '编码', 'Code', { required: true, unique: true, maxLength: 20 }),
    str('name', '名称', 'Name', { required: true, maxLength: 120 }),
    link('company', 'company', '公司', 'Company', { required: true }),
    {
      name: 'allow_negative',
      label: l('允许负库存', 'Allow negative stock'),
      kind: 'boolean',
      default: false,
    },
    { name: 'active', label: l('启用', 'Active'), kind: 'boolean', default: true },
  ],
};

/** The location tree: warehouse > zone > aisle > rack > bin. Stock lives in any location. */
export const locationEntity = {
  name: 'location',
  label: l('库位', 'Location'),
  module: 'inventory',
  titleField: 'code',
  fields: [
    str('code', '编码', 'Code', { required: true, maxLength: 60 }),
    str('name', '名称', 'Name', { maxLength: 120 }),
    link('warehouse', 'warehouse', '仓库', 'Warehouse', { required: true }),
    link('parent', 'location', '上级库位', 'Parent location'),
    select(
      'level',
      '层级',
      'Level',
      [
        ['zone', '库区', 'Zone'],
        ['aisle', '巷道', 'Aisle'],
        ['rack', '货架', 'Rack'],
        ['bin', '货位', 'Bin'],
      ],
      { required: true, default: 'bin' },
    ),
    select('bin_type', '货位类型', 'Bin type', [
      ['storage', '存储', 'Storage'],
      ['picking', '拣货', 'Picking'],
      ['receiving', '收货', 'Receiving'],
      ['shipping', '发货', 'Shipping'],
      ['quarantine', '隔离', 'Quarantine'],
    ]),
    {
      name: 'capacity_volume',
      label: l('容积（m³）', 'Capacity volume (m³)'),
      kind: 'decimal',
      precision: 18,
      scale: 4,
      min: '0',
    },
    {
      name: 'capacity_weight',
      label: l('承重（kg）', 'Capacity weight (kg)'),
      kind: 'decimal',
      precision: 18,
      scale: 3,
      min: '0',
    },
    { name: 'capacity_units', label: l('容量（件）', 'Capacity units'), kind: 'integer', min: 0 },
    { name: 'pick_sequence', label: l('拣货顺序', 'Pick sequence'), kind: 'integer', min: 0 },
    { name: 'x', label: l('X 坐标', 'X'), kind: 'decimal', precision: 12, scale: 3 },
    { name: 'y', label: l('Y 坐标', 'Y'), kind: 'decimal', precision: 12, scale: 3 },
    { name: 'active', label: l('启用', 'Active'), kind: 'boolean', default: true },
  ],
  unique: [['warehouse', 'code']],
};
