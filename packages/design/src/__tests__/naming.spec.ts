import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IDENTIFIER, identifierFromLabel, isIdentifier, uniqueIdentifier } from '../naming.ts';

describe('isIdentifier', () => {
  const cases: [string, boolean][] = [
    ['patient', true],
    ['stock_move', true],
    ['a', true],
    ['x2', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
    ['2x', false],
    ['_x', false],
    ['Patient', false],
    ['stock-move', false],
    ['huàn', false],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name)} -> ${expected}`, () => assert.equal(isIdentifier(name), expected));
  }
});

describe('identifierFromLabel', () => {
  const cases: [string, string][] = [
    ['患者', 'huan_zhe'],
    ['治疗项目', 'zhi_liao_xiang_mu'],
    ['Full Name', 'full_name'],
    ['客户2号', 'ke_hu_2_hao'],
    ['订单Order', 'ding_dan_order'],
    ['Order订单', 'order_ding_dan'],
    ['123', 'f_123'],
    ['2号仓库', 'f_2_hao_cang_ku'],
    // polyphonic characters read as the phrase
    ['重庆', 'chong_qing'],
    ['银行', 'yin_hang'],
    ['行长', 'hang_zhang'],
    // ü is written v
    ['绿色', 'lv_se'],
    // punctuation, spacing and case
    ['  Stock -- Move!! ', 'stock_move'],
    ['物料（编码）', 'wu_liao_bian_ma'],
    ['e-mail / 电话', 'e_mail_dian_hua'],
    ['ALL_CAPS', 'all_caps'],
    ['__x__', 'x'],
    // accents and compatibility forms fold to ASCII
    ['Café Crème', 'cafe_creme'],
    ['ＡＢＣ１２３', 'abc123'],
    // nothing usable -> the fallback prefix alone
    ['', 'f'],
    ['   ', 'f'],
    ['😀🎉', 'f'],
    ['!!!', 'f'],
    ['，。！', 'f'],
    ['Клиент', 'f'],
    ['😀 Status', 'status'],
  ];
  for (const [label, expected] of cases) {
    it(`${JSON.stringify(label)} -> ${expected}`, () => assert.equal(identifierFromLabel(label), expected));
  }

  it('uses the fallbackPrefix option', () => {
    assert.equal(identifierFromLabel('123', { fallbackPrefix: 'field' }), 'field_123');
    assert.equal(identifierFromLabel('😀', { fallbackPrefix: 'entity' }), 'entity');
  });

  it('cuts long labels to 63 characters without a trailing _', () => {
    const long = identifierFromLabel('中华人民共和国中央人民政府'.repeat(5));
    assert.equal(long.length <= 63, true);
    assert.equal(long, 'zhong_hua_ren_min_gong_he_guo_zhong_yang_ren_min_zheng_fu_zhong');
    assert.equal(isIdentifier(long), true);
    // the cut falls right after 'ab', on an underscore, which is dropped
    assert.equal(identifierFromLabel(`${'a'.repeat(62)} b`), 'a'.repeat(62));
    assert.equal(identifierFromLabel('x'.repeat(200)), 'x'.repeat(63));
  });

  it('honours maxLength', () => {
    assert.equal(identifierFromLabel('治疗项目', { maxLength: 9 }), 'zhi_liao');
    // a plain character cut, even inside a syllable
    assert.equal(identifierFromLabel('治疗项目', { maxLength: 10 }), 'zhi_liao_x');
    assert.equal(identifierFromLabel('123', { maxLength: 2 }), 'f');
    assert.equal(identifierFromLabel('Full Name', { maxLength: 1 }), 'f');
  });

  it('is deterministic', () => {
    for (const label of ['重庆银行', '治疗项目', 'Mixed 混合 123']) {
      assert.equal(identifierFromLabel(label), identifierFromLabel(label));
    }
  });

  it('refuses bad options', () => {
    assert.throws(() => identifierFromLabel('x', { maxLength: 0 }), RangeError);
    assert.throws(() => identifierFromLabel('x', { maxLength: 64 }), RangeError);
    assert.throws(() => identifierFromLabel('x', { maxLength: 1.5 }), RangeError);
    assert.throws(() => identifierFromLabel('x', { fallbackPrefix: '1' }), RangeError);
    assert.throws(() => identifierFromLabel('x', { fallbackPrefix: 'F' }), RangeError);
    assert.throws(() => identifierFromLabel('x', { fallbackPrefix: '' }), RangeError);
  });
});

describe('uniqueIdentifier', () => {
  const cases: [string, string[], string][] = [
    ['patient', [], 'patient'],
    ['patient', ['doctor'], 'patient'],
    ['patient', ['patient'], 'patient_2'],
    ['patient', ['patient', 'patient_2'], 'patient_3'],
    ['patient', ['patient', 'patient_3'], 'patient_2'],
    ['patient', ['patient', ...Array.from({ length: 9 }, (_, i) => `patient_${i + 2}`)], 'patient_11'],
    ['f', ['f'], 'f_2'],
  ];
  for (const [base, taken, expected] of cases) {
    it(`${base} among [${taken.join(', ')}] -> ${expected}`, () =>
      assert.equal(uniqueIdentifier(base, new Set(taken)), expected));
  }

  it('shortens the base to keep the suffix within 63 characters', () => {
    const base = 'a'.repeat(63);
    assert.equal(uniqueIdentifier(base, new Set([base])), `${'a'.repeat(61)}_2`);
    const taken = new Set([base, ...Array.from({ length: 8 }, (_, i) => `${'a'.repeat(61)}_${i + 2}`)]);
    assert.equal(uniqueIdentifier(base, taken), `${'a'.repeat(60)}_10`);
  });

  it('does not leave a double underscore when shortening', () => {
    const base = `${'a'.repeat(61)}_b`;
    assert.equal(uniqueIdentifier(base, new Set([base])), `${'a'.repeat(61)}_2`);
  });

  it('honours maxLength', () => {
    assert.equal(uniqueIdentifier('customer', new Set(['custo']), 5), 'cus_2');
    assert.equal(uniqueIdentifier('customer', new Set(), 5), 'custo');
  });

  it('refuses a base that is not an identifier, or when nothing fits', () => {
    assert.throws(() => uniqueIdentifier('Patient', new Set()), RangeError);
    assert.throws(() => uniqueIdentifier('', new Set()), RangeError);
    assert.throws(() => uniqueIdentifier('a', new Set(['a']), 2), RangeError);
    const full = new Set(['ab', 'a_2', 'a_3', 'a_4', 'a_5', 'a_6', 'a_7', 'a_8', 'a_9']);
    assert.throws(() => uniqueIdentifier('ab', full, 3), /no unique identifier/);
  });
});

describe('properties', () => {
  const anyString = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc
      .array(fc.constantFrom('重', '庆', '治', '疗', '绿', 'A', 'z', '9', ' ', '-', '😀', 'é', '_'), {
        maxLength: 80,
      })
      .map((chars) => chars.join('')),
  );

  it('identifierFromLabel always returns a valid identifier', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 1, max: 63 }), (label, maxLength) => {
        const name = identifierFromLabel(label, { maxLength });
        assert.match(name, IDENTIFIER);
        assert.equal(name.length <= maxLength, true);
        assert.equal(name.endsWith('_'), false);
      }),
      { numRuns: 500 },
    );
  });

  it('uniqueIdentifier never returns a member of taken', () => {
    const identifier = anyString.map((label) => identifierFromLabel(label, { maxLength: 8 }));
    fc.assert(
      fc.property(
        identifier,
        fc.array(identifier, { maxLength: 30 }),
        fc.integer({ min: 6, max: 63 }),
        (base, takenList, maxLength) => {
          // crowd the base's own suffix space too
          const taken = new Set([
            base,
            ...takenList,
            ...takenList.map((_, i) => `${base}_${i + 2}`.slice(0, 63)),
          ]);
          const name = uniqueIdentifier(base, taken, maxLength);
          assert.equal(taken.has(name), false);
          assert.match(name, IDENTIFIER);
          assert.equal(name.length <= maxLength, true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
