/**
 * Companies inside a tenant (multi-company): documents link to one, and a role's row condition
 * `{"field": "company", "op": "in", "value": "$user.companies"}` keeps each user to their companies.
 */
export const companyEntity = {
  name: 'company',
  label: { 'zh-CN': '公司', en: 'Company' },
  module: 'org',
  titleField: 'name',
  fields: [
    {
      name: 'code',
      label: { 'zh-CN': '编码', en: 'Code' },
      kind: 'string',
      required: true,
      unique: true,
      maxLength: 20,
    },
    { name: 'name', label: { 'zh-CN': '名称', en: 'Name' }, kind: 'string', required: true, maxLength: 120 },
    { name: 'tax_id', label: { 'zh-CN': '统一社会信用代码', en: 'Tax ID' }, kind: 'string', maxLength: 30 },
    {
      name: 'currency',
      label: { 'zh-CN': '本位币', en: 'Base currency' },
      kind: 'string',
      maxLength: 3,
      pattern: '^[A-Z]{3}$',
      default: 'CNY',
    },
    { name: 'address', label: { 'zh-CN': '地址', en: 'Address' }, kind: 'text' },
    { name: 'active', label: { 'zh-CN': '启用', en: 'Active' }, kind: 'boolean', default: true },
  ],
};
