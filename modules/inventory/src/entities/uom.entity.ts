import { l, link, str } from './fields.ts';

/** A unit of measure with its rounding precision (decimal places kept for quantities in it). */
export const uomEntity = {
  name: 'uom',
  label: l('计量单位', 'Unit of measure'),
  module: 'inventory',
  titleField: 'code',
  fields: [
    str('code', '编码', 'Code', { required: true, unique: true, maxLength: 20 }),
    str('name', '名称', 'Name', { required: true, maxLength: 60 }),
    { name: 'precision', label: l('小数位', 'Decimal places'), kind: 'integer', min: 0, max: 6, default: 0 },
  ],
};

/** `1 from_uom = factor × to_uom` (e.g. 1 box = 12 pcs), optionally for one item only. */
export const uomConversionEntity = {
  name: 'uom_conversion',
  label: l('单位换算', 'UoM conversion'),
  module: 'inventory',
  fields: [
    link('from_uom', 'uom', '源单位', 'From unit', { required: true }),
    link('to_uom', 'uom', '目标单位', 'To unit', { required: true }),
    {
      name: 'factor',
      label: l('换算系数', 'Factor'),
      kind: 'decimal',
      precision: 24,
      scale: 9,
      required: true,
      min: '0.000000001',
    },
    link('item', 'item', '物料', 'Item', { onDelete: 'cascade' }),
  ],
  unique: [['from_uom', 'to_uom', 'item']],
};
