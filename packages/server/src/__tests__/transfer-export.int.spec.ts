/**
 * Export (`GET /api/v1/{entity}/_export`): exact CSV and Excel content, labels by language, exact
 * decimals, formula-injection escaping, and the same access rules as reading (export permission,
 * row conditions of read and export, hidden fields absent, encrypted fields masked).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { exportRecords, parseListQuery, SYSTEM_ACCESS, SYSTEM_ACTOR } from '@tenon/design';
import ExcelJS from 'exceljs';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const DEFINITIONS = [
  {
    name: 'customer',
    label: label('客户', 'Customer'),
    fields: [{ name: 'name', label: label('名称', 'Name'), kind: 'string' }],
  },
  {
    name: 'sales_order',
    label: label('销售订单', 'Sales order'),
    titleField: 'no',
    fields: [
      { name: 'no', label: label('单号', 'Order no'), kind: 'string', required: true },
      { name: 'customer', label: label('客户', 'Customer'), kind: 'link', target: 'customer' },
      {
        name: 'region',
        label: label('区域', 'Region'),
        kind: 'select',
        options: [
          { value: 'north', label: label('北区', 'North') },
          { value: 'south', label: label('南区', 'South') },
        ],
      },
      { name: 'amount', label: label('金额', 'Amount'), kind: 'money' },
      { name: 'qty', label: label('数量', 'Quantity'), kind: 'quantity' },
      { name: 'lines', label: label('行数', 'Lines'), kind: 'integer' },
      { name: 'paid', label: label('已付', 'Paid'), kind: 'boolean' },
      { name: 'due', label: label('到期日', 'Due'), kind: 'date' },
      { name: 'note', label: label('备注', 'Note'), kind: 'text' },
      { name: 'margin', label: label('毛利', 'Margin'), kind: 'decimal', scale: 4 },
      { name: 'phone', label: label('电话', 'Phone'), kind: 'string', encrypted: true },
    ],
  },
  {
    name: 'bulk',
    label: label('批量', 'Bulk'),
    fields: [{ name: 'n', label: label('序号', 'N'), kind: 'integer' }],
  },
];

const ORDERS = [
  {
    no: 'SO-001',
    region: 'north',
    amount: '1234.50',
    qty: '2.5',
    lines: 3,
    paid: true,
    due: '2025-01-31',
    note: '加急，"易碎"',
    margin: '0.1250',
    phone: '13812340000',
  },
  {
    no: 'SO-002',
    region: 'south',
    amount: '-12.50',
    qty: '1',
    lines: -2,
    paid: false,
    note: '=HYPERLINK("http://evil.example","click")',
    margin: '-0.5',
  },
  { no: '@SUM(A1)', region: 'north', amount: '0.00', note: '+86 10 1234', phone: '021-5555' },
];

const FIELDS = 'no,customer,region,amount,qty,lines,paid,due,note,margin,phone';

describe('export', () => {
  let s: TestServer;
  let customerId: string;
  const ids: string[] = [];

  const get = (token: string | null, url: string, lang = 'en') =>
    s.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token ?? s.adminToken}`, 'accept-language': lang },
    });
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

  before(async () => {
    s = await createTestServer({ encryptionKey: randomBytes(32).toString('hex') });
    await s.define(DEFINITIONS);
    customerId = (await s.call('POST', '/api/v1/customer', { name: '精密机械' })).body.data.id;
    for (const order of ORDERS) {
      const body = order.no === 'SO-001' ? { ...order, customer: customerId } : order;
      const res = await s.call('POST', '/api/v1/sales_order', body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(res.body.data.id);
    }
    const roles: Record<string, unknown[]> = {
      reader: [{ entity: 'sales_order', actions: ['read'] }],
      north_exporter: [
        {
          entity: 'sales_order',
          actions: ['read', 'export'],
          where: { field: 'region', op: 'eq', value: 'north' },
          hiddenFields: ['amount'],
        },
      ],
      south_exports_only: [
        { entity: 'sales_order', actions: ['read'], unmaskedFields: ['phone'] },
        { entity: 'sales_order', actions: ['export'], where: { field: 'region', op: 'eq', value: 'south' } },
      ],
    };
    for (const [name, permissions] of Object.entries(roles)) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: { en: name }, permissions });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  after(() => s?.close());

  it('writes CSV exactly: BOM, English labels with field names, exact decimals, escaped formulas', async () => {
    const res = await get(null, `/api/v1/sales_order/_export?format=csv&sort=created_at&fields=${FIELDS}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['content-disposition'], `attachment; filename="sales_order-${today()}.csv"`);
    assert.deepEqual([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(
      res.rawPayload.subarray(3).toString('utf8'),
      [
        'Order no (no),Customer (customer),Region (region),Amount (amount),Quantity (qty),Lines (lines),Paid (paid),Due (due),Note (note),Margin (margin),Phone (phone)',
        'SO-001,精密机械,north,1234.50,2.5,3,true,2025-01-31,"加急，""易碎""",0.1250,13812340000',
        `SO-002,,south,-12.50,1,-2,false,,"'=HYPERLINK(""http://evil.example"",""click"")",-0.5000,`,
        `'@SUM(A1),,north,0.00,,,,,'+86 10 1234,,021-5555`,
        '',
      ].join('\r\n'),
    );
  });

  it('labels columns in Chinese by default, and exports every readable field with id and timestamps', async () => {
    const res = await get(null, '/api/v1/sales_order/_export?sort=created_at', 'zh-CN');
    const [header] = res.body.slice(1).split('\r\n');
    assert.equal(
      header,
      'ID (id),单号 (no),客户 (customer),区域 (region),金额 (amount),数量 (qty),行数 (lines),已付 (paid),到期日 (due),备注 (note),毛利 (margin),电话 (phone),创建时间 (created_at),更新时间 (updated_at)',
    );
    assert.equal(res.body.split('\r\n').length, ORDERS.length + 2);
    assert.equal(res.headers['x-total-count'], '3');
  });

  it('writes Excel with the same content: exact text for decimals, typed integers and booleans, escaped formulas', async () => {
    const res = await get(null, `/api/v1/sales_order/_export?format=xlsx&sort=created_at&fields=${FIELDS}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      res.headers['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.equal(res.headers['content-disposition'], `attachment; filename="sales_order-${today()}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.name, 'sales_order');
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      rows.push(Array.from({ length: 11 }, (_, i) => row.getCell(i + 1).value ?? null));
    });
    assert.deepEqual(rows, [
      [
        'Order no (no)',
        'Customer (customer)',
        'Region (region)',
        'Amount (amount)',
        'Quantity (qty)',
        'Lines (lines)',
        'Paid (paid)',
        'Due (due)',
        'Note (note)',
        'Margin (margin)',
        'Phone (phone)',
      ],
      [
        'SO-001',
        '精密机械',
        'north',
        '1234.50',
        '2.5',
        3,
        true,
        '2025-01-31',
        '加急，"易碎"',
        '0.1250',
        '13812340000',
      ],
      [
        'SO-002',
        null,
        'south',
        '-12.50',
        '1',
        -2,
        false,
        null,
        `'=HYPERLINK("http://evil.example","click")`,
        '-0.5000',
        null,
      ],
      [`'@SUM(A1)`, null, 'north', '0.00', null, null, null, null, `'+86 10 1234`, null, '021-5555'],
    ]);
    for (const row of rows)
      for (const cell of row) assert.equal(typeof cell === 'object' && cell !== null, false);
  });

  it('applies filters and sort like a list', async () => {
    const res = await get(
      null,
      '/api/v1/sales_order/_export?filter[region]=north&sort=-created_at&fields=no',
    );
    assert.equal(res.body.slice(1), "Order no (no)\r\n'@SUM(A1)\r\nSO-001\r\n");
    const bad = await get(null, '/api/v1/sales_order/_export?sort=phone');
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error.code, 'QUERY_INVALID');
    const format = await get(null, '/api/v1/sales_order/_export?format=pdf');
    assert.equal(format.statusCode, 400);
  });

  it('needs the export permission', async () => {
    const reader = await s.userWith({ username: 'reader', roles: ['reader'] });
    const res = await get(reader, '/api/v1/sales_order/_export');
    assert.equal(res.statusCode, 403);
    assert.equal(JSON.parse(res.body).error.code, 'ACCESS_DENIED');
    assert.equal((await get(reader, '/api/v1/sales_order')).statusCode, 200, 'reading is still allowed');
  });

  it('exports only rows the role may read, without hidden fields, with encrypted fields masked', async () => {
    const token = await s.userWith({ username: 'north', roles: ['north_exporter'] });
    const res = await get(token, '/api/v1/sales_order/_export?sort=created_at&fields=no,region,phone');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      res.body.slice(1),
      "Order no (no),Region (region),Phone (phone)\r\nSO-001,north,138****0000\r\n'@SUM(A1),north,021*5555\r\n",
    );
    const all = await get(token, '/api/v1/sales_order/_export?sort=created_at');
    assert.equal(all.body.includes('amount'), false, 'hidden fields are not exported');
    const asked = await get(token, '/api/v1/sales_order/_export?fields=no,amount');
    assert.equal(asked.statusCode, 400, 'a hidden field does not exist for the role');
  });

  it("narrows rows by the export permission's own condition, and masks what export does not unmask", async () => {
    const token = await s.userWith({ username: 'south', roles: ['south_exports_only'] });
    const list = await s.callAs(token, 'GET', '/api/v1/sales_order?sort=created_at');
    assert.equal(list.body.data.items.length, 3);
    assert.equal(list.body.data.items[0].phone, '13812340000', 'reading unmasks the phone');
    const res = await get(token, '/api/v1/sales_order/_export?sort=created_at&fields=no,phone');
    assert.equal(res.body.slice(1), 'Order no (no),Phone (phone)\r\nSO-002,\r\n');
  });

  it('reads all pages (keyset, 500 a page) in order, and audits the export', async () => {
    await s.db.query(
      `INSERT INTO "${s.tenant.schemaName}".bulk (id, n) SELECT gen_random_uuid(), g FROM generate_series(1, 1203) AS g`,
    );
    const res = await get(null, '/api/v1/bulk/_export?sort=-n&fields=n');
    const lines = res.body.slice(1).split('\r\n');
    assert.equal(lines[0], 'N (n)');
    assert.deepEqual(
      lines.slice(1, -1).map(Number),
      Array.from({ length: 1203 }, (_, i) => 1203 - i),
    );
    const me = (await s.call('GET', '/api/v1/auth/me')).body.data;
    const activity = (await s.call('GET', `/api/v1/audit/users/${me.user?.id ?? me.id}`)).body.data
      .items as JsonBody[];
    const entry = activity.find((a) => a.action === 'export' && a.entity === 'bulk');
    assert.deepEqual(entry?.changes, { after: { format: 'csv', rows: 1203 } });
  });

  it('refuses more rows than the limit, before sending anything', async () => {
    const metamodel = await s.deps.metamodels.forTenant(s.tenant);
    const entity = metamodel.get('bulk');
    const ctx = {
      db: s.db,
      metamodel,
      actor: SYSTEM_ACTOR,
      access: SYSTEM_ACCESS,
      locale: 'en' as const,
      clock: s.deps.clock,
    };
    await assert.rejects(
      exportRecords(ctx, { entity, query: parseListQuery(entity, {}), format: 'csv', maxRows: 1000 }),
      {
        code: 'EXPORT_TOO_MANY_ROWS',
        message: 'An export holds at most 1000 rows and this query matches 1203: narrow the filter',
      },
    );
  });
});
