/**
 * Import (`POST /api/v1/{entity}/_import`): columns by name or label, every row validated as a create,
 * dry run and all-or-nothing by default, `skipInvalid` creating the valid rows in one transaction
 * (each audited as `import`), links by id or title, database errors per row, and permissions.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const DEFINITIONS = [
  {
    name: 'customer',
    label: label('客户', 'Customer'),
    fields: [{ name: 'name', label: label('名称', 'Name'), kind: 'string', required: true, unique: true }],
  },
  {
    name: 'staff',
    label: label('员工', 'Staff'),
    fields: [{ name: 'name', label: label('姓名', 'Name'), kind: 'string' }],
  },
  {
    name: 'contact',
    label: label('联系人', 'Contact'),
    fields: [
      { name: 'name', label: label('姓名', 'Name'), kind: 'string', required: true, maxLength: 20 },
      {
        name: 'phone',
        label: label('手机', 'Mobile'),
        kind: 'string',
        encrypted: true,
        pattern: '^1[0-9]{10}$',
      },
      {
        name: 'level',
        label: label('等级', 'Level'),
        kind: 'select',
        options: [
          { value: 'a', label: label('A级', 'Level A') },
          { value: 'b', label: label('B级', 'Level B') },
        ],
      },
      { name: 'credit', label: label('信用额度', 'Credit'), kind: 'money', min: '0' },
      { name: 'visits', label: label('拜访次数', 'Visits'), kind: 'integer' },
      { name: 'vip', label: label('VIP', 'VIP'), kind: 'boolean' },
      { name: 'since', label: label('开始日期', 'Since'), kind: 'date' },
      { name: 'note', label: label('备注', 'Note'), kind: 'text' },
      { name: 'customer', label: label('客户', 'Customer'), kind: 'link', target: 'customer' },
      { name: 'owner', label: label('负责人', 'Owner'), kind: 'link', target: 'staff' },
      { name: 'code', label: label('编号', 'Code'), kind: 'sequence', sequence: { pattern: 'C-{SEQ:3}' } },
    ],
  },
];

type Upload = { name: string; content: Buffer; type?: string };

describe('import', () => {
  let s: TestServer;
  let acme: string;

  const upload = (token: string, url: string, file: Upload, lang = 'en') => {
    const boundary = `----tenon${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return s.app
      .inject({
        method: 'POST',
        url,
        payload,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'accept-language': lang,
        },
      })
      .then((res) => ({ status: res.statusCode, body: JSON.parse(res.body) as JsonBody }));
  };
  const csv = (text: string): Upload => ({ name: 'contacts.csv', content: Buffer.from(`\uFEFF${text}`) });
  const count = async (table: string, where = 'TRUE') =>
    (
      await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${s.tenant.schemaName}"."${table}" WHERE ${where}`,
      )
    ).rows[0]!.n;
  const contacts = async () =>
    (await s.call('GET', '/api/v1/contact?sort=code&pageSize=100')).body.data.items as JsonBody[];

  before(async () => {
    s = await createTestServer({ encryptionKey: randomBytes(32).toString('base64') });
    await s.define(DEFINITIONS);
    acme = (await s.call('POST', '/api/v1/customer', { name: 'Acme' })).body.data.id;
    await s.call('POST', '/api/v1/customer', { name: 'Twin' });
    const roles: Record<string, unknown[]> = {
      reader: [{ entity: 'contact', actions: ['read', 'create'] }],
      importer: [
        { entity: 'contact', actions: ['read', 'create', 'import'], readOnlyFields: ['credit'] },
        { entity: 'customer', actions: ['read'] },
      ],
      north_importer: [
        {
          entity: 'contact',
          actions: ['read', 'create', 'import'],
          where: { field: 'level', op: 'eq', value: 'a' },
        },
        { entity: 'customer', actions: ['read'] },
      ],
    };
    for (const [name, permissions] of Object.entries(roles)) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: { en: name }, permissions });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  after(() => s?.close());

  const MIXED = [
    'name,手机,Level,credit,visits,vip,since,note,customer',
    `Zhang San,13812340000,A级,1000.50,3,是,2025-01-07,"'=cmd|' /C calc'!A0",Acme`,
    'Li Si,123,c,-5,1.5,maybe,2025-02-30,,Nobody',
    `Wang Wu,,Level B,,,,,plain,${'x'}`,
    '',
    ',13900000000,a,,,,,,',
    'Zhou,,,-5,,,,,',
  ].join('\r\n');

  it('a dry run reports every invalid row by its row number and writes nothing', async () => {
    const res = await upload(s.adminToken, '/api/v1/contact/_import?dryRun=true', csv(MIXED));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const data = res.body.data;
    assert.deepEqual(
      { total: data.total, valid: data.valid, created: data.created, ids: data.ids },
      { total: 5, valid: 1, created: 0, ids: [] },
    );
    assert.deepEqual(
      data.invalid.map((r: JsonBody) => [
        r.row,
        r.errors.map((e: JsonBody) => `${e.field}:${e.code}`).sort(),
      ]),
      [
        [
          3,
          [
            'customer:reference_not_found',
            'level:enum',
            'phone:pattern',
            'since:format',
            'vip:type',
            'visits:type',
          ],
        ],
        [4, ['customer:reference_not_found']],
        [6, ['name:required']],
        [7, ['credit:min']],
      ],
    );
    assert.equal(await count('contact'), 0);
    assert.equal(await count('_audit', `action = 'import'`), 0);
  });

  it('without skipInvalid, one bad row imports nothing: 422 with row-level details', async () => {
    const res = await upload(s.adminToken, '/api/v1/contact/_import', csv(MIXED));
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'IMPORT_ROWS_INVALID');
    assert.equal(res.body.message, '4 rows are invalid; nothing was imported');
    const fields = res.body.error.details.map((d: JsonBody) => d.field);
    assert.ok(fields.includes('rows.3.phone') && fields.includes('rows.7.credit'), fields.join());
    assert.equal(await count('contact'), 0);
    assert.equal(await count('_sequence'), 0, 'numbers used by rolled-back rows are not consumed');
  });

  it('with skipInvalid, creates the valid rows in one transaction, audited as import', async () => {
    const res = await upload(s.adminToken, '/api/v1/contact/_import?skipInvalid=true', csv(MIXED));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const data = res.body.data;
    assert.deepEqual([data.total, data.valid, data.created], [5, 1, 1]);
    assert.deepEqual(
      data.invalid.map((r: JsonBody) => r.row),
      [3, 4, 6, 7],
    );
    const [zhang] = await contacts();
    assert.deepEqual(
      {
        ...zhang,
        id: undefined,
        created_at: undefined,
        updated_at: undefined,
        created_by: undefined,
        updated_by: undefined,
      },
      {
        id: undefined,
        created_at: undefined,
        updated_at: undefined,
        created_by: undefined,
        updated_by: undefined,
        version: 1,
        name: 'Zhang San',
        phone: '13812340000',
        level: 'a',
        credit: '1000.50',
        visits: 3,
        vip: true,
        since: '2025-01-07',
        note: `=cmd|' /C calc'!A0`,
        customer: acme,
        owner: null,
        code: 'C-001',
      },
    );
    assert.deepEqual(data.ids, [zhang!.id]);
    const audit = await s.db.query<{ action: string; changes: JsonBody }>(
      `SELECT action, changes FROM "${s.tenant.schemaName}"._audit WHERE record_id = $1`,
      [zhang!.id],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.action),
      ['import'],
    );
    assert.equal(audit.rows[0]!.changes.after.phone, '***');
    assert.equal(audit.rows[0]!.changes.after.name, 'Zhang San');
  });

  it('reads Excel files: typed cells, dates, links by id, columns by "Label (name)"', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('联系人');
    sheet.addRow([
      '姓名 (name)',
      '手机 (phone)',
      '信用额度 (credit)',
      '拜访次数 (visits)',
      'VIP',
      '开始日期',
      '客户 (customer)',
    ]);
    sheet.addRow(['Zhao Liu', 13900001111, 12.5, 7, true, new Date(Date.UTC(2025, 2, 1)), acme]);
    sheet.addRow(['Qian Qi', '13900002222', '0', 0, false, '2025-03-02', 'Acme']);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(s.adminToken, '/api/v1/contact/_import', {
      name: 'contacts.xlsx',
      content,
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.created, 2);
    const [, zhao, qian] = await contacts();
    assert.deepEqual(
      [zhao!.name, zhao!.phone, zhao!.credit, zhao!.visits, zhao!.vip, zhao!.since, zhao!.customer],
      ['Zhao Liu', '13900001111', '12.50', 7, true, '2025-03-01', acme],
    );
    assert.deepEqual([qian!.credit, qian!.vip, qian!.customer], ['0.00', false, acme]);
  });

  it('an ambiguous title is a row error; a database refusal (unique) fails only its row', async () => {
    await s.call('POST', '/api/v1/customer', { name: 'Dup' });
    for (const name of ['Chen', 'Chen', 'Solo']) await s.call('POST', '/api/v1/staff', { name });
    const ambiguous = await upload(
      s.adminToken,
      '/api/v1/contact/_import?dryRun=true',
      csv('name,owner\r\nA,Chen\r\nB,Solo\r\n'),
    );
    assert.deepEqual(ambiguous.body.data.valid, 1);
    assert.deepEqual(
      ambiguous.body.data.invalid.map((r: JsonBody) => [r.row, r.errors[0].field, r.errors[0].code]),
      [[2, 'owner', 'ambiguous_reference']],
    );
    const customers = await upload(
      s.adminToken,
      '/api/v1/customer/_import?skipInvalid=true',
      csv('name\r\nNew One\r\nAcme\r\nNew Two\r\nNew One\r\n'),
    );
    assert.equal(customers.status, 201, JSON.stringify(customers.body));
    assert.equal(customers.body.data.created, 2);
    assert.deepEqual(
      customers.body.data.invalid.map((r: JsonBody) => [r.row, r.errors[0].field, r.errors[0].code]),
      [
        [3, 'name', 'unique'],
        [5, 'name', 'unique'],
      ],
    );
    assert.equal(await count('customer'), 5);
  });

  it('refuses unknown columns and files it cannot read, naming them', async () => {
    const unknown = await upload(
      s.adminToken,
      '/api/v1/contact/_import',
      csv('name,colour,Visits\r\nA,red,1\r\n'),
    );
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'IMPORT_COLUMNS_INVALID');
    assert.deepEqual(
      unknown.body.error.details.map((d: JsonBody) => `${d.field}:${d.code}`),
      ['colour:unknown_column'],
    );
    const twice = await upload(s.adminToken, '/api/v1/contact/_import', csv('name,姓名\r\nA,B\r\n'));
    assert.deepEqual(
      twice.body.error.details.map((d: JsonBody) => d.code),
      ['duplicate_column'],
    );
    const empty = await upload(s.adminToken, '/api/v1/contact/_import', csv(''));
    assert.equal(empty.body.error.code, 'IMPORT_FILE_INVALID');
    const broken = await upload(s.adminToken, '/api/v1/contact/_import', {
      name: 'x.xlsx',
      content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(64)]),
    });
    assert.equal(broken.body.error.code, 'IMPORT_FILE_INVALID');
    const flag = await upload(s.adminToken, '/api/v1/contact/_import?dryRun=yes', csv('name\r\nA\r\n'));
    assert.equal(flag.status, 400);
  });

  it('reads GB18030 CSV (as Chinese Excel saves it) and ignores exported system and computed columns', async () => {
    const gbk = Buffer.concat([
      Buffer.from('ID (id),name,code,created_at\r\n,'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三
      Buffer.from(',C-999,2025-01-01T00:00:00Z\r\n'),
    ]);
    const res = await upload(s.adminToken, '/api/v1/contact/_import', { name: 'gbk.csv', content: gbk });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.data.ignoredColumns, ['ID (id)', 'code', 'created_at']);
    const created = (await s.call('GET', `/api/v1/contact/${res.body.data.ids[0]}`)).body.data;
    assert.equal(created.name, '张三');
    assert.match(created.code, /^C-\d{3}$/);
    assert.notEqual(created.code, 'C-999');
  });

  it('needs the import permission, and refuses columns the role may not write', async () => {
    const reader = await s.userWith({ username: 'reader', roles: ['reader'] });
    const denied = await upload(reader, '/api/v1/contact/_import', csv('name\r\nA\r\n'));
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'ACCESS_DENIED');
    const importer = await s.userWith({ username: 'importer', roles: ['importer'] });
    const before = await count('contact');
    const readOnly = await upload(importer, '/api/v1/contact/_import', csv('name,credit\r\nA,1\r\n'));
    assert.equal(readOnly.status, 403);
    assert.deepEqual(
      readOnly.body.error.details.map((d: JsonBody) => d.field),
      ['credit'],
    );
    const ok = await upload(importer, '/api/v1/contact/_import', csv('name,phone\r\nB,13700000000\r\n'));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(await count('contact'), before + 1);
  });

  it("rows outside the role's row condition are refused per row", async () => {
    const token = await s.userWith({ username: 'north', roles: ['north_importer'] });
    const res = await upload(
      token,
      '/api/v1/contact/_import?skipInvalid=true',
      csv('name,level\r\nIn,a\r\nOut,b\r\n'),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.created, 1);
    assert.deepEqual(
      res.body.data.invalid.map((r: JsonBody) => [r.row, r.errors[0].code]),
      [[3, 'ACCESS_ROW_DENIED']],
    );
    assert.equal(await count('contact', `name = 'Out'`), 0);
  });
});
