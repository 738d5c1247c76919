/**
 * Resources the scheduler books and dispatches: people, rooms, devices, equipment... Each has a type
 * (a `resource_type` name), a capacity (units usable at once), skills, an optional working calendar
 * `{ timeZone, weekly: { mon: [["08:00","12:00"]], ... }, closed: ["2026-12-25"] }` and, for a person,
 * the user id of the operator it is.
 */
const TIME = { type: 'string', pattern: '^(?:[01][0-9]:[0-5][0-9]|2[0-3]:[0-5][0-9]|24:00)$' };
const SPANS = {
  type: 'array',
  maxItems: 12,
  items: { type: 'array', minItems: 2, maxItems: 2, items: TIME },
};
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The calendar's shape; the scheduler also checks that each span ends after it starts. */
const CALENDAR_SCHEMA = {
  type: 'object',
  required: ['timeZone'],
  additionalProperties: false,
  properties: {
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    weekly: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(WEEKDAYS.map((d) => [d, SPANS])),
    },
    closed: { type: 'array', maxItems: 1000, items: { type: 'string', format: 'date' } },
  },
};

export const resourceEntity = {
  name: 'resource',
  label: { 'zh-CN': '资源', en: 'Resource' },
  module: 'kernel',
  titleField: 'name',
  fields: [
    {
      name: 'code',
      label: { 'zh-CN': '编码', en: 'Code' },
      kind: 'string',
      required: true,
      unique: true,
      maxLength: 40,
    },
    { name: 'name', label: { 'zh-CN': '名称', en: 'Name' }, kind: 'string', required: true, maxLength: 120 },
    {
      name: 'type',
      label: { 'zh-CN': '资源类型', en: 'Resource type' },
      kind: 'string',
      required: true,
      index: true,
      maxLength: 63,
      pattern: '^[a-z][a-z0-9_]*$',
    },
    {
      name: 'capacity',
      label: { 'zh-CN': '容量', en: 'Capacity' },
      kind: 'integer',
      required: true,
      min: 1,
      default: 1,
    },
    {
      name: 'skills',
      label: { 'zh-CN': '技能', en: 'Skills' },
      kind: 'json',
      default: [],
      jsonSchema: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 63 } },
    },
    { name: 'user', label: { 'zh-CN': '用户', en: 'User' }, kind: 'string', maxLength: 64, index: true },
    {
      name: 'calendar',
      label: { 'zh-CN': '工作日历', en: 'Working calendar' },
      kind: 'json',
      jsonSchema: CALENDAR_SCHEMA,
    },
    { name: 'active', label: { 'zh-CN': '启用', en: 'Active' }, kind: 'boolean', default: true },
  ],
};
