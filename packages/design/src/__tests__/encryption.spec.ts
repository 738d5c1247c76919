import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError, type FieldError } from '@tenon/core';
import {
  createFieldCipher,
  dropMaskEchoes,
  maskEncrypted,
  maskValue,
  openValue,
  parseEncryptionKey,
  redactEncrypted,
  sealValue,
} from '../records/encryption.ts';
import { csvLine, escapeCell, parseCsv, unescapeCell } from '../records/tabular.ts';
import { buildMetamodel } from '../registry.ts';
import type { StoredDefinition } from '../store/definition-store.ts';
import type { EntityDef } from '../types.ts';
import { normalizeEntity } from '../validate-definition.ts';

const KEY = randomBytes(32);
const cipher = createFieldCipher(KEY);

describe('field cipher (AES-256-GCM)', () => {
  it('round-trips text, including Chinese, emoji and the empty string', () => {
    for (const plain of ['13812340000', '110101199003077777', '患者有青霉素过敏史。', '🙂 a:b:c', '']) {
      const sealed = cipher.encrypt(plain);
      assert.match(sealed, /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
      assert.ok(!sealed.includes(plain) || plain === '');
      assert.equal(cipher.decrypt(sealed), plain);
    }
  });

  it('uses a fresh 96-bit IV for every value: the same plaintext never seals the same way', () => {
    const a = cipher.encrypt('13812340000');
    const b = cipher.encrypt('13812340000');
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a.split(':')[1]!, 'base64').length, 12);
    assert.equal(Buffer.from(a.split(':')[2]!, 'base64').length, 16);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = cipher.encrypt('13812340000');
    const parts = sealed.split(':');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64');
    };
    for (const i of [1, 2, 3]) {
      const tampered = parts.map((p, j) => (j === i ? flip(p) : p)).join(':');
      assert.throws(() => cipher.decrypt(tampered));
    }
    // Another sealed value's body under this IV and tag
    const other = cipher.encrypt('13900000000').split(':');
    assert.throws(() => cipher.decrypt([parts[0], parts[1], parts[2], other[3]].join(':')));
  });

  it('refuses a value sealed with another key, and text that is not sealed', () => {
    const sealed = cipher.encrypt('13812340000');
    assert.throws(() => createFieldCipher(randomBytes(32)).decrypt(sealed));
    for (const bad of ['13812340000', 'v1:abc', 'v2:a:b:c', `${sealed}:x`, 'v1:::'])
      assert.throws(() => cipher.decrypt(bad), bad);
  });

  it('reads the key as hex or base64 and refuses anything but 32 bytes', () => {
    const sealed = cipher.encrypt('x');
    assert.equal(createFieldCipher(KEY.toString('hex')).decrypt(sealed), 'x');
    assert.equal(createFieldCipher(KEY.toString('base64')).decrypt(sealed), 'x');
    assert.equal(createFieldCipher(` ${KEY.toString('base64url')}\n`).decrypt(sealed), 'x');
    assert.deepEqual(parseEncryptionKey(KEY.toString('hex')), KEY);
    for (const bad of ['', 'secret', randomBytes(16).toString('base64'), randomBytes(33).toString('hex')])
      assert.throws(() => parseEncryptionKey(bad), /TENON_ENCRYPTION_KEY must be 32 bytes/);
  });
});

describe('masking', () => {
  const cases: [string, string][] = [
    ['13812340000', '138****0000'],
    ['110101199003077777', '110***********7777'],
    ['12345678', '123*5678'],
    ['1234567', '*******'],
    ['abc', '***'],
    ['', ''],
    ['张三丰的身份证号码', '张三丰**份证号码'],
    ['x'.repeat(5000), `xxx${'*'.repeat(16)}xxxx`],
  ];
  for (const [plain, masked] of cases) {
    it(`${JSON.stringify(plain.slice(0, 20))} → ${JSON.stringify(masked.slice(0, 30))}`, () => {
      assert.equal(maskValue(plain), masked);
    });
  }

  it('counts characters, not UTF-16 units, and keeps first 3 and last 4', () => {
    assert.equal(maskValue('王小明的病历备注'), '王小明*病历备注');
    assert.equal(maskValue('🙂🙂🙂🙂🙂🙂🙂🙂'), '🙂🙂🙂*🙂🙂🙂🙂');
  });

  it('is idempotent: a masked value masks to itself', () => {
    for (const v of ['13812340000', 'abc', 'y'.repeat(300)])
      assert.equal(maskValue(maskValue(v)), maskValue(v));
  });
});

// ---- records ---------------------------------------------------------------------------------

const label = (en: string) => ({ en });
const patient: EntityDef = {
  name: 'patient',
  label: label('Patient'),
  fields: [
    { name: 'name', label: label('Name'), kind: 'string' },
    { name: 'phone', label: label('Phone'), kind: 'string', encrypted: true, maxLength: 20 },
    { name: 'notes', label: label('Notes'), kind: 'text', encrypted: true },
  ],
};
const stored = (def: EntityDef): StoredDefinition => ({ def, version: 1 }) as StoredDefinition;
const tenant = { id: 't', name: 't', schemaName: 't', settings: {} } as never;
const metamodel = buildMetamodel(tenant, [stored(patient)], { cipher });
const entity = metamodel.get('patient');

describe('encrypted fields of records', () => {
  it('seals on write and opens on read; without a key both are a coded error', () => {
    const phone = entity.fields.get('phone')!;
    const sealed = sealValue(entity, phone, '13812340000')!;
    assert.equal(openValue(entity, phone, sealed), '13812340000');
    assert.equal(sealValue(entity, phone, null), null);
    const keyless = buildMetamodel(tenant, [stored(patient)]).get('patient');
    assert.throws(() => sealValue(keyless, phone, 'x'), { code: 'ENCRYPTION_KEY_MISSING' });
    assert.throws(() => openValue(keyless, phone, sealed), { code: 'ENCRYPTION_KEY_MISSING' });
    const otherKey = buildMetamodel(tenant, [stored(patient)], {
      cipher: createFieldCipher(randomBytes(32)),
    }).get('patient');
    assert.throws(() => openValue(otherKey, phone, sealed), { code: 'ENCRYPTION_DECRYPT_FAILED' });
  });

  it('masks unless the decision unmasks the field or every field', () => {
    const record = { id: '1', name: 'Li', phone: '13812340000', notes: 'allergic to penicillin' };
    assert.deepEqual(maskEncrypted(entity, record, { unmaskedFields: new Set() }), {
      ...record,
      phone: '138****0000',
      notes: 'all***************llin',
    });
    assert.deepEqual(maskEncrypted(entity, record, { unmaskedFields: new Set(['phone']) }), {
      ...record,
      notes: 'all***************llin',
    });
    assert.equal(maskEncrypted(entity, record, { unmaskedFields: new Set(['*']) }), record);
    assert.equal(record.phone, '13812340000', 'the input record is not changed');
  });

  it('redacts encrypted values for the audit log, nulls stay null', () => {
    assert.deepEqual(redactEncrypted(metamodel, entity, { name: 'Li', phone: '13812340000', notes: null }), {
      name: 'Li',
      phone: '***',
      notes: null,
    });
  });

  it('ignores a mask sent back unchanged by a user who sees the field masked', () => {
    const current = { phone: '13812340000', notes: 'x' };
    const patch: Record<string, unknown> = { phone: '138****0000', name: 'Wang' };
    dropMaskEchoes(entity, patch, current, { unmaskedFields: new Set() });
    assert.deepEqual(patch, { name: 'Wang' });
    const unmaskedPatch: Record<string, unknown> = { phone: '138****0000' };
    dropMaskEchoes(entity, unmaskedPatch, current, { unmaskedFields: new Set(['phone']) });
    assert.deepEqual(unmaskedPatch, { phone: '138****0000' }, 'someone who sees it in clear means it');
  });
});

describe('definition rules of encrypted fields', () => {
  const ctx = { lookup: () => undefined, takenNames: new Set<string>() };
  const refusal = (fields: unknown[], extra: Record<string, unknown> = {}, previous?: EntityDef) => {
    try {
      normalizeEntity(
        { name: 'x', label: label('X'), fields, ...extra },
        { ...ctx, ...(previous ? { previous } : {}) },
      );
    } catch (err) {
      assert.ok(err instanceof AppError);
      return (err.details as FieldError[]).map((d) => `${d.field}:${d.code}`);
    }
    return [];
  };
  const f = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
    name,
    label: label(name),
    kind,
    ...extra,
  });

  it('accepts encrypted string and text fields', () => {
    assert.deepEqual(
      refusal([
        f('phone', 'string', { encrypted: true }),
        f('notes', 'text', { encrypted: true, required: true }),
      ]),
      [],
    );
  });

  it('refuses what would keep or compare the plaintext', () => {
    const e = { encrypted: true };
    assert.deepEqual(refusal([f('n', 'integer', e)]), ['fields.0.encrypted:invalid']);
    assert.deepEqual(refusal([f('p', 'string', { ...e, unique: true })]), ['fields.0.encrypted:invalid']);
    assert.deepEqual(refusal([f('p', 'string', { ...e, index: true })]), ['fields.0.encrypted:invalid']);
    assert.deepEqual(refusal([f('p', 'string', { ...e, default: '1' })]), ['fields.0.default:invalid']);
    assert.deepEqual(refusal([f('p', 'string', { encrypted: 'yes' })]), ['fields.0.encrypted:invalid']);
    assert.deepEqual(refusal([f('p', 'string', e)], { titleField: 'p' }), ['titleField:encrypted_field']);
    assert.deepEqual(refusal([f('p', 'string', e), f('q', 'string')], { unique: [['p', 'q']] }), [
      'unique.0:encrypted_field',
    ]);
    assert.deepEqual(refusal([f('p', 'string', e)], { indexes: [{ fields: ['p'] }] }), [
      'indexes.0.fields:encrypted_field',
    ]);
    assert.deepEqual(
      refusal([f('p', 'string', e), f('c', 'formula', { expression: 'p + "!"', resultKind: 'string' })]),
      ['fields.1.expression:encrypted_field'],
    );
    assert.deepEqual(
      refusal([f('p', 'string', e), f('no', 'sequence', { sequence: { pattern: 'N-{field:p}-{SEQ:3}' } })]),
      ['fields.1.sequence.pattern:encrypted_field'],
    );
    assert.deepEqual(refusal([f('cur', 'string', e), f('amount', 'money', { currencyField: 'cur' })]), [
      'fields.1.currencyField:encrypted_field',
    ]);
  });

  it('reports malformed formulas and patterns next to encrypted fields, without a 500', () => {
    const e = { encrypted: true };
    assert.ok(
      refusal([f('p', 'string', e), f('c', 'formula', { expression: 5 })]).includes(
        'fields.1.expression:required',
      ),
    );
    assert.ok(
      refusal([f('p', 'string', e), f('n', 'sequence', { sequence: { pattern: 5 } })]).includes(
        'fields.1.sequence:required',
      ),
    );
  });

  it('refuses switching encryption of an existing field, either way', () => {
    const before: EntityDef = { name: 'x', label: label('X'), fields: [f('p', 'string') as never] };
    assert.deepEqual(refusal([f('p', 'string', { encrypted: true })], {}, before), [
      'fields.0.encrypted:encryption_change',
    ]);
    const sealedBefore: EntityDef = {
      name: 'x',
      label: label('X'),
      fields: [f('p', 'string', { encrypted: true }) as never],
    };
    assert.deepEqual(refusal([f('p', 'string')], {}, sealedBefore), ['fields.0.encrypted:encryption_change']);
    assert.deepEqual(refusal([f('p', 'string', { encrypted: true })], {}, sealedBefore), []);
  });

  it('does not take an encrypted field as the default title', () => {
    assert.equal(entity.titleField, 'name');
    const onlySecret = buildMetamodel(tenant, [
      stored({ name: 's', label: label('S'), fields: [patient.fields[1]!] }),
    ]).get('s');
    assert.equal(onlySecret.titleField, null);
  });
});

describe('spreadsheet cells', () => {
  it('escapes formula starts in text, but not plain numbers in numeric columns', () => {
    assert.equal(escapeCell('=HYPERLINK("http://x")', false), `'=HYPERLINK("http://x")`);
    for (const v of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(escapeCell(v, false), `'${v}`);
    assert.equal(escapeCell('-12.50', true), '-12.50');
    assert.equal(escapeCell('-1+2', true), `'-1+2`);
    assert.equal(escapeCell('plain', false), 'plain');
    assert.equal(escapeCell("'quoted", false), "'quoted");
  });

  it('unescapes exactly what it escaped', () => {
    for (const v of ['=1+1', "'=1+1", "''=x", "'plain", '-5', 'a=b', '@', "'"]) {
      assert.equal(unescapeCell(escapeCell(v, false)), v, v);
    }
  });

  it('writes and parses CSV (quotes, commas, new lines, BOM)', () => {
    const rows = [
      ['a', 'b,c', 'say "hi"'],
      ['多行\n文本', '', 'x\r\ny'],
    ];
    const text = `\uFEFF${rows.map(csvLine).join('')}`;
    assert.equal(csvLine(rows[0]!), 'a,"b,c","say ""hi"""\r\n');
    assert.deepEqual(parseCsv(text), rows);
    assert.deepEqual(parseCsv('a,b\nc,d'), [
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
