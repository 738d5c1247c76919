/** The demo tenant's definitions: the same JSON a user would build in the designer. */
export const demoDefinitions: unknown[] = [
  {
    name: 'customer',
    label: { 'zh-CN': '客户', en: 'Customer' },
    titleField: 'name',
    fields: [
      {
        name: 'code',
        label: { 'zh-CN': '客户编号', en: 'Code' },
        kind: 'sequence',
        sequence: { pattern: 'CUS-{SEQ:5}' },
      },
      {
        name: 'name',
        label: { 'zh-CN': '名称', en: 'Name' },
        kind: 'string',
        required: true,
        maxLength: 120,
      },
      { name: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, kind: 'string', maxLength: 30 },
      {
        name: 'level',
        label: { 'zh-CN': '等级', en: 'Level' },
        kind: 'select',
        default: 'B',
        options: [
          { value: 'A', label: { 'zh-CN': '重要', en: 'Key account' } },
          { value: 'B', label: { 'zh-CN': '普通', en: 'Regular' } },
          { value: 'C', label: { 'zh-CN': '潜在', en: 'Prospect' } },
        ],
      },
      { name: 'credit_limit', label: { 'zh-CN': '信用额度', en: 'Credit limit' }, kind: 'money', min: '0' },
    ],
  },
  {
    name: 'product',
    label: { 'zh-CN': '产品', en: 'Product' },
    titleField: 'name',
    fields: [
      {
        name: 'code',
        label: { 'zh-CN': '物料编号', en: 'Item code' },
        kind: 'sequence',
        sequence: { pattern: 'ITM-{YYYY}{MM}-{SEQ:4}' },
      },
      { name: 'name', label: { 'zh-CN': '名称', en: 'Name' }, kind: 'string', required: true },
      { name: 'unit', label: { 'zh-CN': '单位', en: 'Unit' }, kind: 'string', maxLength: 10, default: 'pcs' },
      { name: 'price', label: { 'zh-CN': '单价', en: 'Price' }, kind: 'money', min: '0' },
      { name: 'active', label: { 'zh-CN': '启用', en: 'Active' }, kind: 'boolean', default: true },
    ],
  },
  {
    name: 'sales_order_line',
    label: { 'zh-CN': '销售订单行', en: 'Sales order line' },
    childOf: 'sales_order',
    fields: [
      {
        name: 'product',
        label: { 'zh-CN': '产品', en: 'Product' },
        kind: 'link',
        target: 'product',
        required: true,
      },
      {
        name: 'quantity',
        label: { 'zh-CN': '数量', en: 'Quantity' },
        kind: 'quantity',
        required: true,
        min: '0',
      },
      { name: 'unit_price', label: { 'zh-CN': '单价', en: 'Unit price' }, kind: 'money', required: true },
      {
        name: 'amount',
        label: { 'zh-CN': '金额', en: 'Amount' },
        kind: 'formula',
        resultKind: 'decimal',
        expression: 'round(quantity * unit_price, 2)',
      },
    ],
  },
  {
    name: 'sales_order',
    label: { 'zh-CN': '销售订单', en: 'Sales order' },
    titleField: 'number',
    fields: [
      {
        name: 'number',
        label: { 'zh-CN': '单号', en: 'Number' },
        kind: 'sequence',
        sequence: { pattern: 'SO-{YYYY}{MM}{DD}-{SEQ:3}' },
      },
      {
        name: 'customer',
        label: { 'zh-CN': '客户', en: 'Customer' },
        kind: 'link',
        target: 'customer',
        required: true,
      },
      {
        name: 'order_date',
        label: { 'zh-CN': '订单日期', en: 'Order date' },
        kind: 'date',
        default: '$today',
      },
      { name: 'note', label: { 'zh-CN': '备注', en: 'Note' }, kind: 'text' },
      {
        name: 'lines',
        label: { 'zh-CN': '明细', en: 'Lines' },
        kind: 'children',
        target: 'sales_order_line',
      },
    ],
  },
];
