/**
 * The benchmark's entities, in the same JSON shape the designer and the meta API produce:
 * an order of 15 fields of mixed kinds that links to a small customer entity.
 */

const label = (en: string, zh: string) => ({ 'zh-CN': zh, en });

export const CUSTOMER = 'bench_customer';
export const ORDER = 'bench_order';

export const STATUSES = ['open', 'closed', 'cancelled', 'draft'] as const;

export const benchDefinitions: unknown[] = [
  {
    name: CUSTOMER,
    label: label('Bench customer', '压测客户'),
    titleField: 'name',
    fields: [
      { name: 'name', label: label('Name', '名称'), kind: 'string', required: true, maxLength: 120 },
      { name: 'email', label: label('Email', '邮箱'), kind: 'string', maxLength: 200 },
    ],
  },
  {
    name: ORDER,
    label: label('Bench order', '压测订单'),
    titleField: 'number',
    fields: [
      {
        name: 'number',
        label: label('Number', '单号'),
        kind: 'sequence',
        sequence: { pattern: 'BN-{SEQ:7}' },
      },
      { name: 'title', label: label('Title', '标题'), kind: 'string', required: true, maxLength: 120 },
      { name: 'notes', label: label('Notes', '备注'), kind: 'text' },
      { name: 'line_count', label: label('Lines', '行数'), kind: 'integer', min: 0 },
      { name: 'weight', label: label('Weight', '重量'), kind: 'decimal', precision: 12, scale: 3 },
      { name: 'amount', label: label('Amount', '金额'), kind: 'money', min: '0' },
      { name: 'qty', label: label('Quantity', '数量'), kind: 'quantity' },
      { name: 'is_priority', label: label('Priority', '加急'), kind: 'boolean', default: false },
      { name: 'due_date', label: label('Due date', '交期'), kind: 'date' },
      { name: 'placed_at', label: label('Placed at', '下单时间'), kind: 'datetime', required: true },
      {
        name: 'status',
        label: label('Status', '状态'),
        kind: 'select',
        required: true,
        default: 'open',
        options: STATUSES.map((s) => ({ value: s, label: label(s, s) })),
      },
      { name: 'customer', label: label('Customer', '客户'), kind: 'link', target: CUSTOMER, required: true },
      { name: 'attributes', label: label('Attributes', '属性'), kind: 'json' },
      { name: 'email', label: label('Email', '邮箱'), kind: 'string', maxLength: 200 },
      {
        name: 'discount_rate',
        label: label('Discount rate', '折扣率'),
        kind: 'decimal',
        precision: 5,
        scale: 4,
      },
    ],
    // The list scenario filters on status and sorts by placed_at (created_at cannot be indexed
    // through a definition: `indexes` only accepts the entity's own fields).
    indexes: [{ fields: ['status', 'placed_at'] }],
  },
];

/** The list page the filtered scenario asks for: index-backed by (status, placed_at). */
export const LIST_QUERY = 'filter[status][eq]=open&filter[amount][gte]=100&sort=-placed_at&pageSize=50';

/** A few valid create bodies, each with a real customer id. */
export function createBodies(customerIds: string[], count = 64): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    bodies.push(
      JSON.stringify({
        title: `Bench order created over HTTP ${i}`,
        notes: 'Created by the benchmark; removed at the start of the next run.',
        line_count: (i % 20) + 1,
        weight: `${(i * 3.25).toFixed(3)}`,
        amount: `${100 + i}.50`,
        qty: `${(i % 7) + 1}`,
        is_priority: i % 10 === 0,
        due_date: '2025-12-31',
        placed_at: new Date(Date.UTC(2025, 0, 1, 8, i)).toISOString(),
        status: STATUSES[i % STATUSES.length],
        customer: customerIds[i % customerIds.length],
        attributes: { channel: 'api', priority: i % 5 },
        email: `buyer${i}@example.com`,
        discount_rate: '0.0500',
      }),
    );
  }
  return bodies;
}
