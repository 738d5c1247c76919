/** Names derived from labels (pinyin for Chinese), kept stable across edits; inheritance. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveEntity } from '../resolve.ts';
import type { EntityDef } from '../types.ts';
import { type NormalizeContext, normalizeEntity } from '../validate-definition.ts';

const label = (en: string) => ({ en });
const field = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: label(name),
  kind,
  ...extra,
});

const existing: Record<string, EntityDef> = {
  customer: { name: 'customer', label: label('Customer'), fields: [field('title', 'string')] as never },
  party: {
    name: 'party',
    label: label('Party'),
    abstract: true,
    fields: [field('code', 'string'), field('phone', 'string')] as never,
  },
  contact: {
    name: 'contact',
    label: label('Contact'),
    abstract: true,
    extends: 'party',
    fields: [field('email', 'string')] as never,
  },
};

const ctx = (extra: Partial<NormalizeContext> = {}): NormalizeContext => ({
  lookup: (n) => existing[n],
  takenNames: new Set(Object.keys(existing)),
  ...extra,
});

const entity = (fields: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'x',
  label: label('X'),
  fields,
  ...extra,
});

describe('names derived from labels', () => {
  const patient = {
    label: { 'zh-CN': '患者' },
    fields: [
      { label: { 'zh-CN': '姓名' }, kind: 'string' },
      { label: { 'zh-CN': '电话' }, kind: 'string' },
    ],
  };

  it('writes Chinese labels as pinyin', () => {
    const def = normalizeEntity(patient, ctx());
    assert.equal(def.name, 'huan_zhe');
    assert.deepEqual(
      def.fields.map((f) => f.name),
      ['xing_ming', 'dian_hua'],
    );
  });

  it('prefers the English label', () => {
    const def = normalizeEntity(
      {
        label: { 'zh-CN': '患者', en: 'Patient' },
        fields: [{ label: { 'zh-CN': '姓名', en: 'Full Name' }, kind: 'string' }],
      },
      ctx(),
    );
    assert.equal(def.name, 'patient');
    assert.equal(def.fields[0]!.name, 'full_name');
  });

  it('suffixes names already taken by other entities and fields', () => {
    const def = normalizeEntity(
      {
        label: { 'zh-CN': '患者' },
        fields: [
          { label: { 'zh-CN': '姓名' }, kind: 'string' },
          { label: { 'zh-CN': '姓名' }, kind: 'text' },
          { label: { en: 'Version' }, kind: 'integer' },
        ],
      },
      ctx({ takenNames: new Set(['huan_zhe', 'huan_zhe_2']) }),
    );
    assert.equal(def.name, 'huan_zhe_3');
    // a label that reads as a system column name is suffixed, not refused
    assert.deepEqual(
      def.fields.map((f) => f.name),
      ['xing_ming', 'xing_ming_2', 'version_2'],
    );
  });

  it('keeps every name when the same labels are sent again', () => {
    const first = normalizeEntity(patient, ctx());
    const again = normalizeEntity(
      { ...patient, fields: [...patient.fields].reverse() },
      ctx({ takenNames: new Set(['huan_zhe']), previous: first }),
    );
    assert.equal(again.name, 'huan_zhe');
    assert.deepEqual(
      again.fields.map((f) => f.name),
      ['dian_hua', 'xing_ming'],
    );
  });

  it('reuses a previous field name when its label matches, even if that name was not derived', () => {
    const previous = normalizeEntity(
      {
        name: 'huan_zhe',
        label: { 'zh-CN': '患者' },
        fields: [{ name: 'full_name', label: { 'zh-CN': '姓名' }, kind: 'string' }],
      },
      ctx(),
    );
    const edited = normalizeEntity(
      {
        label: { 'zh-CN': '患者' },
        fields: [
          { label: { 'zh-CN': '姓名', en: 'Name' }, kind: 'string' },
          { label: { 'zh-CN': '生日' }, kind: 'date' },
        ],
      },
      ctx({ previous }),
    );
    assert.deepEqual(
      edited.fields.map((f) => f.name),
      ['full_name', 'sheng_ri'],
    );
  });

  it('does not hand a previous name to a second field with the same label', () => {
    const previous = normalizeEntity(patient, ctx());
    const edited = normalizeEntity(
      { ...patient, fields: [patient.fields[0], { label: { 'zh-CN': '姓名' }, kind: 'text' }] },
      ctx({ previous }),
    );
    assert.deepEqual(
      edited.fields.map((f) => f.name),
      ['xing_ming', 'xing_ming_2'],
    );
  });
});

describe('inheritance', () => {
  it('puts the inherited fields first, recursively', () => {
    const def = normalizeEntity(
      entity([field('vip', 'boolean')], { name: 'client', extends: 'contact' }),
      ctx(),
    );
    assert.deepEqual(
      def.fields.map((f) => f.name),
      ['vip'],
    );
    const resolved = resolveEntity(def, (n) => existing[n]);
    assert.deepEqual(
      resolved.fields.map((f) => f.name),
      ['code', 'phone', 'email', 'vip'],
    );
  });

  it('derives own field names around the inherited ones', () => {
    const def = normalizeEntity(
      { label: label('Supplier'), extends: 'party', fields: [{ label: label('Phone'), kind: 'string' }] },
      ctx(),
    );
    assert.equal(def.fields[0]!.name, 'phone_2');
  });

  it('lets formulas and unique constraints use inherited fields', () => {
    assert.doesNotThrow(() =>
      normalizeEntity(
        entity([field('tag', 'formula', { expression: 'code + "-" + phone' })], {
          extends: 'party',
          unique: [['code']],
          titleField: 'code',
        }),
        ctx(),
      ),
    );
  });

  it('keeps an abstract base without fields valid, but not a concrete one', () => {
    assert.doesNotThrow(() => normalizeEntity(entity([], { abstract: true }), ctx()));
    assert.throws(() => normalizeEntity(entity([]), ctx()), /Invalid entity definition: x/);
    // a concrete entity whose fields all come from its base is fine
    assert.doesNotThrow(() => normalizeEntity(entity([], { extends: 'party' }), ctx()));
  });
});
