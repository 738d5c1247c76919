/**
 * Encrypted-at-rest fields: ciphertext in the table (and in every other table a value could reach:
 * lines, audit log, idempotency replies), plaintext for roles that unmask a field, masks for the
 * others, no filtering or sorting by them, and definitions refused while no key is configured.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestServer, type JsonBody, type TestServer } from '../testing.ts';

const KEY = randomBytes(32).toString('base64');
const label = (en: string) => ({ en });

const DEFINITIONS = [
  {
    name: 'clinic',
    label: label('Clinic'),
    fields: [{ name: 'name', label: label('Name'), kind: 'string' }],
  },
  {
    name: 'visit',
    label: label('Visit'),
    childOf: 'patient',
    fields: [
      { name: 'on', label: label('On'), kind: 'date', required: true },
      { name: 'diagnosis', label: label('Diagnosis'), kind: 'text', encrypted: true },
    ],
  },
  {
    name: 'patient',
    label: label('Patient'),
    fields: [
      { name: 'full_name', label: label('Name'), kind: 'string', required: true },
      {
        name: 'id_card',
        label: label('ID card'),
        kind: 'string',
        encrypted: true,
        maxLength: 18,
        pattern: '^[0-9]{17}[0-9X]$',
      },
      { name: 'phone', label: label('Phone'), kind: 'string', encrypted: true, maxLength: 20 },
      { name: 'notes', label: label('Notes'), kind: 'text', encrypted: true },
      { name: 'clinic', label: label('Clinic'), kind: 'link', target: 'clinic' },
      { name: 'visits', label: label('Visits'), kind: 'children', target: 'visit' },
    ],
  },
  {
    name: 'appointment',
    label: label('Appointment'),
    fields: [{ name: 'patient', label: label('Patient'), kind: 'link', target: 'patient' }],
  },
];

const ID_CARD = '110101199003077777';
const PHONE = '13812340000';
const NOTES = '青霉素过敏，需复查肝功能';
const DIAGNOSIS = 'Type 2 diabetes, early stage';

describe('encrypted fields', () => {
  let s: TestServer;
  let nurse: string;
  let clerk: string;
  let doctor: string;
  let patient: JsonBody;

  const en = { 'accept-language': 'en' };
  const sqlText = async (query: string) =>
    JSON.stringify((await s.db.query(query.replaceAll('$schema', `"${s.tenant.schemaName}"`))).rows);

  before(async () => {
    s = await createTestServer({ encryptionKey: KEY });
    await s.define(DEFINITIONS);
    const roles: Record<string, unknown[]> = {
      nurse: [
        { entity: 'patient', actions: ['read', 'create', 'update'], unmaskedFields: ['phone'] },
        { entity: 'visit', actions: ['read'] },
      ],
      clerk: [
        { entity: 'patient', actions: ['read', 'create', 'update'] },
        { entity: 'visit', actions: ['read'] },
        { entity: 'appointment', actions: ['read'] },
      ],
      doctor: [
        { entity: 'patient', actions: ['read'], unmaskedFields: ['*'] },
        { entity: 'visit', actions: ['read'], unmaskedFields: ['diagnosis'] },
      ],
    };
    for (const [name, permissions] of Object.entries(roles)) {
      const res = await s.call('PUT', `/api/v1/security/roles/${name}`, { label: label(name), permissions });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    nurse = await s.userWith({ username: 'nurse', roles: ['nurse'] });
    clerk = await s.userWith({ username: 'clerk', roles: ['clerk'] });
    doctor = await s.userWith({ username: 'doctor', roles: ['doctor'] });
    const created = await s.call(
      'POST',
      '/api/v1/patient',
      {
        full_name: 'Li Lei',
        id_card: ID_CARD,
        phone: PHONE,
        notes: NOTES,
        visits: [{ on: '2025-01-07', diagnosis: DIAGNOSIS }],
      },
      { 'idempotency-key': 'first-patient' },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    patient = created.body.data;
  });

  after(() => s?.close());

  it('stores only ciphertext: the record, its lines, the audit log and the idempotency reply', async () => {
    const { rows } = await s.db.query<Record<string, string>>(
      `SELECT id_card, phone, notes FROM "${s.tenant.schemaName}".patient WHERE id = $1`,
      [patient.id],
    );
    for (const value of Object.values(rows[0]!)) assert.match(value, /^v1:[^:]+:[^:]+:[^:]+$/);
    const everywhere = [
      await sqlText('SELECT * FROM $schema.patient'),
      await sqlText('SELECT * FROM $schema.visit'),
      await sqlText('SELECT changes FROM $schema._audit'),
      await sqlText('SELECT response FROM $schema._idempotency'),
    ].join('\n');
    for (const plain of [ID_CARD, PHONE, NOTES, DIAGNOSIS, '13812340000', '青霉素'])
      assert.equal(everywhere.includes(plain), false, `${plain} is stored in clear`);
    assert.match(await sqlText('SELECT response FROM $schema._idempotency'), /sealed/);
  });

  it('an idempotent retry replays the first (sealed) response', async () => {
    const again = await s.call(
      'POST',
      '/api/v1/patient',
      {
        full_name: 'Li Lei',
        id_card: ID_CARD,
        phone: PHONE,
        notes: NOTES,
        visits: [{ on: '2025-01-07', diagnosis: DIAGNOSIS }],
      },
      { 'idempotency-key': 'first-patient' },
    );
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.data.id, patient.id);
    assert.equal(again.body.data.phone, PHONE);
  });

  it('shows plaintext to the administrator and to roles that unmask the field, masks to the others', async () => {
    const admin = (await s.call('GET', `/api/v1/patient/${patient.id}`)).body.data;
    assert.deepEqual(
      [admin.id_card, admin.phone, admin.notes, admin.visits[0].diagnosis],
      [ID_CARD, PHONE, NOTES, DIAGNOSIS],
    );
    const asNurse = (await s.callAs(nurse, 'GET', `/api/v1/patient/${patient.id}`)).body.data;
    assert.deepEqual(
      [asNurse.id_card, asNurse.phone, asNurse.notes, asNurse.visits[0].diagnosis],
      ['110***********7777', PHONE, '青霉素*****查肝功能', `Typ${'*'.repeat(16)}tage`],
    );
    const asClerk = (await s.callAs(clerk, 'GET', `/api/v1/patient?fields=phone,id_card`)).body.data.items[0];
    assert.deepEqual([asClerk.phone, asClerk.id_card], ['138****0000', '110***********7777']);
    const asDoctor = (await s.callAs(doctor, 'GET', `/api/v1/patient/${patient.id}`)).body.data;
    assert.deepEqual(
      [asDoctor.id_card, asDoctor.phone, asDoctor.notes, asDoctor.visits[0].diagnosis],
      [ID_CARD, PHONE, NOTES, DIAGNOSIS],
    );
  });

  it('masks in write responses and expanded links too', async () => {
    const created = await s.callAs(clerk, 'POST', '/api/v1/patient', {
      full_name: 'Han Meimei',
      phone: '13900001111',
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.data.phone, '139****1111');
    const appointment = await s.call('POST', '/api/v1/appointment', { patient: patient.id });
    const listed = await s.callAs(clerk, 'GET', '/api/v1/appointment?expand=patient');
    const linked = listed.body.data.items.find((a: JsonBody) => a.id === appointment.body.data.id).patient;
    assert.equal(linked.phone, '138****0000');
  });

  it('a masked value sent back unchanged does not overwrite the real one', async () => {
    const res = await s.callAs(clerk, 'PATCH', `/api/v1/patient/${patient.id}`, {
      full_name: 'Li Lei',
      phone: '138****0000',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await s.call('GET', `/api/v1/patient/${patient.id}`)).body.data.phone, PHONE);
  });

  it('validates the plaintext (length, pattern), not the ciphertext', async () => {
    const tooLong = await s.call('POST', '/api/v1/patient', { full_name: 'X', id_card: `${ID_CARD}1` }, en);
    assert.equal(tooLong.status, 422);
    assert.deepEqual(tooLong.body.error.details.map((d: JsonBody) => `${d.field}:${d.code}`).sort(), [
      'id_card:pattern',
      'id_card:too_long',
    ]);
    const ok = await s.call('POST', '/api/v1/patient', { full_name: 'X', id_card: '11010119900307777X' });
    assert.equal(ok.status, 201);
  });

  it('refuses filtering (except null) and sorting by an encrypted field', async () => {
    const refused = [
      `filter[phone][eq]=${PHONE}`,
      'filter[phone][contains]=138',
      'filter[notes][in]=a,b',
      `filter=${encodeURIComponent(JSON.stringify({ or: [{ field: 'phone', op: 'ne', value: '1' }] }))}`,
      'sort=phone',
      'sort=-notes',
    ];
    for (const query of refused) {
      const res = await s.call('GET', `/api/v1/patient?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.error.code, 'QUERY_INVALID', query);
    }
    const viaLink = await s.call('GET', `/api/v1/appointment?filter[patient.phone][eq]=${PHONE}`);
    assert.equal(viaLink.status, 400);
    const withoutPhone = await s.call('GET', '/api/v1/patient?filter[phone][null]=true&total=true');
    assert.equal(withoutPhone.status, 200);
    assert.ok(withoutPhone.body.data.items.every((p: JsonBody) => p.phone === null));
    const withPhone = await s.call('GET', '/api/v1/patient?filter[phone][null]=false');
    assert.ok(withPhone.body.data.items.some((p: JsonBody) => p.id === patient.id));
  });

  it('audits changes of encrypted fields as *** (create, update, delete)', async () => {
    const created = await s.call('POST', '/api/v1/patient', { full_name: 'Wang', phone: '13700002222' });
    const id = created.body.data.id as string;
    await s.call('PATCH', `/api/v1/patient/${id}`, { phone: '13700003333', notes: 'new note' });
    const history = (await s.call('GET', `/api/v1/patient/${id}/history`)).body.data.items as JsonBody[];
    const update = history.find((h) => h.action === 'update')!;
    assert.deepEqual(update.changes, {
      before: { phone: '***', notes: null },
      after: { phone: '***', notes: '***' },
    });
    assert.equal(history.find((h) => h.action === 'create')!.changes.after.phone, '***');
    assert.equal((await s.call('DELETE', `/api/v1/patient/${id}`)).status, 200);
    const audit = await sqlText(`SELECT changes FROM $schema._audit WHERE record_id = '${id}'`);
    for (const plain of ['13700002222', '13700003333', 'new note'])
      assert.equal(audit.includes(plain), false);
    assert.match(audit, /"phone":"\*\*\*"/);
  });

  it('a stored value that was tampered with is a coded error, not wrong data', async () => {
    const created = await s.call('POST', '/api/v1/patient', { full_name: 'Tamper', phone: '13600000000' });
    const id = created.body.data.id as string;
    const other = (
      await s.db.query<{ phone: string }>(
        `SELECT phone FROM "${s.tenant.schemaName}".patient WHERE id = $1`,
        [patient.id],
      )
    ).rows[0]!.phone;
    // Someone with database access copies another patient's ciphertext under this IV and tag.
    const [v, iv, tag] = (
      await s.db.query<{ phone: string }>(
        `SELECT phone FROM "${s.tenant.schemaName}".patient WHERE id = $1`,
        [id],
      )
    ).rows[0]!.phone.split(':');
    await s.db.query(`UPDATE "${s.tenant.schemaName}".patient SET phone = $1 WHERE id = $2`, [
      [v, iv, tag, other.split(':')[3]].join(':'),
      id,
    ]);
    const res = await s.call('GET', `/api/v1/patient/${id}`, undefined, en);
    assert.equal(res.status, 500);
    assert.equal(res.body.error.code, 'ENCRYPTION_DECRYPT_FAILED');
    assert.match(res.body.message, /patient\.phone/);
  });

  it('checks unmaskedFields when a role is saved', async () => {
    const res = await s.call('PUT', '/api/v1/security/roles/bad_role', {
      label: label('Bad'),
      permissions: [{ entity: 'patient', actions: ['read'], unmaskedFields: ['full_name', 'phone'] }],
    });
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.error.details.map((d: JsonBody) => d.code),
      ['not_encrypted'],
    );
  });
});

describe('encrypted fields without a key', () => {
  let s: TestServer;
  before(async () => {
    s = await createTestServer();
  });
  after(() => s?.close());

  it('refuses a definition with an encrypted field, saying what to configure', async () => {
    const res = await s.call(
      'POST',
      '/api/v1/meta/entities',
      {
        name: 'patient',
        label: label('Patient'),
        fields: [
          { name: 'full_name', label: label('Name'), kind: 'string' },
          { name: 'phone', label: label('Phone'), kind: 'string', encrypted: true },
        ],
      },
      { 'accept-language': 'en' },
    );
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'META_DEFINITION_INVALID');
    assert.deepEqual(
      res.body.error.details.map((d: JsonBody) => `${d.field}:${d.code}`),
      ['fields.1.encrypted:encryption_key_missing'],
    );
    assert.match(res.body.error.details[0].message, /TENON_ENCRYPTION_KEY/);
    const tables = await s.db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'patient'`,
      [s.tenant.schemaName],
    );
    assert.equal(tables.rows.length, 0);
  });
});
