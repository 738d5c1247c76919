import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatSequence,
  type ParsedPattern,
  parseSequencePattern,
  resolveSequenceReset,
  SequencePatternError,
  type SequenceReset,
  sequencePeriodKey,
} from '../sequence-pattern.ts';

const SHANGHAI = 'Asia/Shanghai';
const JAN_7 = new Date('2025-01-07T02:00:00Z'); // 2025-01-07 10:00 in Shanghai

describe('parseSequencePattern', () => {
  it('splits literals and tokens', () => {
    assert.deepEqual(parseSequencePattern('ITM-{YYYY}{MM}-{SEQ:4}'), {
      tokens: [
        { kind: 'literal', text: 'ITM-' },
        { kind: 'date', part: 'YYYY' },
        { kind: 'date', part: 'MM' },
        { kind: 'literal', text: '-' },
        { kind: 'seq', width: 4 },
      ],
      fieldRefs: [],
      impliedReset: 'monthly',
    });
    assert.deepEqual(parseSequencePattern('WO-{field:line}-{SEQ:3}'), {
      tokens: [
        { kind: 'literal', text: 'WO-' },
        { kind: 'field', name: 'line' },
        { kind: 'literal', text: '-' },
        { kind: 'seq', width: 3 },
      ],
      fieldRefs: ['line'],
      impliedReset: 'never',
    });
  });

  it('lists each referenced field once, in order', () => {
    const parsed = parseSequencePattern('{field:site}/{field:line_2}/{field:site}/{SEQ:2}');
    assert.deepEqual(parsed.fieldRefs, ['site', 'line_2']);
  });

  const implied: [string, SequenceReset][] = [
    ['SUP-{SEQ:5}', 'never'],
    ['WO-{field:line}-{SEQ:3}', 'never'],
    ['Y-{YYYY}-{SEQ:3}', 'yearly'],
    ['Y-{YY}-{SEQ:3}', 'yearly'],
    ['ITM-{YYYY}{MM}-{SEQ:4}', 'monthly'],
    ['M-{MM}-{SEQ:4}', 'monthly'],
    ['LOT-{YYYY}{MM}{DD}-{SEQ:3}', 'daily'],
    ['D-{DD}{YY}-{SEQ:3}', 'daily'],
  ];
  for (const [pattern, reset] of implied) {
    it(`${pattern} implies ${reset}`, () => assert.equal(parseSequencePattern(pattern).impliedReset, reset));
  }

  it('accepts counter widths 1 to 12', () => {
    assert.deepEqual(parseSequencePattern('{SEQ:1}').tokens, [{ kind: 'seq', width: 1 }]);
    assert.deepEqual(parseSequencePattern('{SEQ:12}').tokens, [{ kind: 'seq', width: 12 }]);
  });

  const errors: [string, RegExp][] = [
    ['SUP-00001', /no counter/],
    ['', /no counter/],
    ['{SEQ:3}-{SEQ:3}', /2 counters/],
    ['A-{SEQ}', /needs a width from 1 to 12/],
    ['A-{SEQ:}', /needs a width/],
    ['A-{SEQ:0}', /needs a width/],
    ['A-{SEQ:13}', /needs a width/],
    ['A-{SEQ:-1}', /needs a width/],
    ['A-{SEQ:3.5}', /needs a width/],
    ['A-{SEQ:x}', /needs a width/],
    ['A-{seq:3}', /unknown token \{seq:3\}/],
    ['A-{yyyy}-{SEQ:3}', /unknown token \{yyyy\}/],
    ['A-{YYYYMM}-{SEQ:3}', /unknown token \{YYYYMM\}/],
    ['A-{line}-{SEQ:3}', /unknown token \{line\}/],
    ['A-{}-{SEQ:3}', /unknown token \{\}/],
    ['A-{ YYYY }-{SEQ:3}', /unknown token/],
    ['A-{field:Line}-{SEQ:3}', /'Line' is not a field name/],
    ['A-{field:2nd}-{SEQ:3}', /'2nd' is not a field name/],
    ['A-{field:}-{SEQ:3}', /'' is not a field name/],
    ['A-{field:line-no}-{SEQ:3}', /'line-no' is not a field name/],
    ['A-{SEQ:3', /unclosed '\{' at position 2/],
    ['A-{YYYY{SEQ:3}', /unclosed '\{' at position 2/],
    ['A-SEQ:3}', /unbalanced '\}' at position 7/],
    ['A-{SEQ:3}}', /unbalanced '\}' at position 9/],
  ];
  for (const [pattern, message] of errors) {
    it(`refuses ${JSON.stringify(pattern)}`, () => {
      assert.throws(
        () => parseSequencePattern(pattern),
        (err: unknown) => err instanceof SequencePatternError && message.test(err.message),
      );
    });
  }

  it('throws errors named SequencePatternError', () => {
    assert.throws(() => parseSequencePattern('x'), { name: 'SequencePatternError' });
  });
});

describe('formatSequence: the fourth seed formats', () => {
  const values = { line: 'A01', lot_no: 'LOT-20250107-001' };
  const cases: [string, string, number, string][] = [
    ['material', 'ITM-{YYYY}{MM}-{SEQ:4}', 1, 'ITM-202501-0001'],
    ['supplier', 'SUP-{SEQ:5}', 1, 'SUP-00001'],
    ['work order', 'WO-{field:line}-{SEQ:3}', 1, 'WO-A01-001'],
    ['lot', 'LOT-{YYYY}{MM}{DD}-{SEQ:3}', 1, 'LOT-20250107-001'],
    ['serial number', 'SN-{field:lot_no}-{SEQ:4}', 1, 'SN-LOT-20250107-001-0001'],
    ['inspection', 'INS-{YYYY}{MM}{DD}-{SEQ:3}', 1, 'INS-20250107-001'],
    ['user', 'USR-{SEQ:5}', 1, 'USR-00001'],
    ['later counter', 'ITM-{YYYY}{MM}-{SEQ:4}', 42, 'ITM-202501-0042'],
    ['two-digit year', 'PO{YY}{MM}-{SEQ:3}', 7, 'PO2501-007'],
    ['no literal', '{SEQ:2}', 3, '03'],
  ];
  for (const [what, pattern, seq, expected] of cases) {
    it(`${what}: ${pattern} -> ${expected}`, () => {
      const parsed = parseSequencePattern(pattern);
      assert.equal(formatSequence(parsed, { at: JAN_7, timeZone: SHANGHAI, values, seq }), expected);
    });
  }
});

describe('formatSequence', () => {
  const itm = parseSequencePattern('ITM-{YYYY}{MM}-{SEQ:4}');
  const lot = parseSequencePattern('LOT-{YYYY}{MM}{DD}-{SEQ:3}');
  const wo = parseSequencePattern('WO-{field:line}-{SEQ:3}');
  const base = { at: JAN_7, timeZone: SHANGHAI, values: {} };

  it('takes the date in the time zone (day, month and year boundaries)', () => {
    const cases: [string, string, ParsedPattern, string][] = [
      ['2025-01-31T20:00:00Z', SHANGHAI, lot, 'LOT-20250201-001'],
      ['2025-01-31T20:00:00Z', 'UTC', lot, 'LOT-20250131-001'],
      ['2025-01-31T20:00:00Z', SHANGHAI, itm, 'ITM-202502-0001'],
      ['2024-12-31T16:30:00Z', SHANGHAI, itm, 'ITM-202501-0001'],
      ['2024-12-31T15:59:59Z', SHANGHAI, itm, 'ITM-202412-0001'],
      ['2025-01-01T03:00:00Z', 'America/New_York', lot, 'LOT-20241231-001'],
    ];
    for (const [iso, timeZone, parsed, expected] of cases) {
      assert.equal(
        formatSequence(parsed, { at: new Date(iso), timeZone, values: {}, seq: 1 }),
        expected,
        iso,
      );
    }
  });

  it('keeps every digit when the counter outgrows its width', () => {
    assert.equal(formatSequence(lot, { ...base, seq: 999 }), 'LOT-20250107-999');
    assert.equal(formatSequence(lot, { ...base, seq: 1000 }), 'LOT-20250107-1000');
    assert.equal(formatSequence(itm, { ...base, seq: 123456 }), 'ITM-202501-123456');
  });

  it('accepts a bigint counter', () => {
    assert.equal(formatSequence(itm, { ...base, seq: 12n }), 'ITM-202501-0012');
    assert.equal(
      formatSequence(parseSequencePattern('{SEQ:12}'), { ...base, seq: 2n ** 60n }),
      '1152921504606846976',
    );
  });

  it('refuses a counter that is not a positive integer', () => {
    for (const seq of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 0n, -3n]) {
      assert.throws(() => formatSequence(itm, { ...base, seq }), SequencePatternError, String(seq));
    }
  });

  it('renders field values with String()', () => {
    assert.equal(formatSequence(wo, { ...base, values: { line: 7 }, seq: 1 }), 'WO-7-001');
    assert.equal(formatSequence(wo, { ...base, values: { line: 7n }, seq: 1 }), 'WO-7-001');
    assert.equal(formatSequence(wo, { ...base, values: { line: 'B 02' }, seq: 12 }), 'WO-B 02-012');
  });

  it('needs no time zone when the pattern has no date', () => {
    assert.equal(
      formatSequence(wo, { at: JAN_7, timeZone: 'Not/AZone', values: { line: 'A01' }, seq: 1 }),
      'WO-A01-001',
    );
  });

  it('refuses an unknown time zone when the pattern has a date', () => {
    assert.throws(() => formatSequence(itm, { ...base, timeZone: 'Not/AZone', seq: 1 }), RangeError);
  });

  const badValues: [string, Record<string, unknown>, RegExp][] = [
    ['missing', {}, /needs a value for field 'line'/],
    ['undefined', { line: undefined }, /needs a value for field 'line'/],
    ['null', { line: null }, /needs a value for field 'line'/],
    ['empty', { line: '' }, /needs a value for field 'line'/],
    ['blank', { line: '   ' }, /needs a value for field 'line'/],
    [
      'inherited',
      Object.create({ line: 'A01' }) as Record<string, unknown>,
      /needs a value for field 'line'/,
    ],
    ['NaN', { line: Number.NaN }, /field 'line' has no usable value/],
    ['an object', { line: { code: 'A01' } }, /field 'line' must be text or a number/],
    ['an array', { line: ['A01'] }, /field 'line' must be text or a number/],
    ['with {', { line: 'A{1' }, /field 'line' contains '\{' or '\}'/],
    ['with }', { line: 'A}1' }, /field 'line' contains '\{' or '\}'/],
  ];
  for (const [what, values, message] of badValues) {
    it(`refuses a field value that is ${what}`, () => {
      assert.throws(
        () => formatSequence(wo, { ...base, values, seq: 1 }),
        (err: unknown) => err instanceof SequencePatternError && message.test(err.message),
      );
    });
  }

  it('refuses a field named like an Object.prototype member unless it is set', () => {
    const parsed = parseSequencePattern('{field:constructor}-{SEQ:1}');
    assert.throws(() => formatSequence(parsed, { ...base, seq: 1 }), /needs a value for field 'constructor'/);
    assert.equal(formatSequence(parsed, { ...base, values: { constructor: 'x' }, seq: 1 }), 'x-1');
  });
});

describe('sequencePeriodKey', () => {
  const lot = parseSequencePattern('LOT-{YYYY}{MM}{DD}-{SEQ:3}');
  const input = { at: JAN_7, timeZone: SHANGHAI, values: {} };

  const byReset: [string, SequenceReset | undefined, string][] = [
    ['SUP-{SEQ:5}', undefined, ''],
    ['SUP-{SEQ:5}', 'never', ''],
    ['Y-{YYYY}-{SEQ:3}', undefined, '2025'],
    ['Y-{YY}-{SEQ:3}', undefined, '2025'],
    ['ITM-{YYYY}{MM}-{SEQ:4}', undefined, '2025-01'],
    ['LOT-{YYYY}{MM}{DD}-{SEQ:3}', undefined, '2025-01-07'],
    // explicit resets coarser than the pattern
    ['LOT-{YYYY}{MM}{DD}-{SEQ:3}', 'monthly', '2025-01'],
    ['LOT-{YYYY}{MM}{DD}-{SEQ:3}', 'yearly', '2025'],
    ['LOT-{YYYY}{MM}{DD}-{SEQ:3}', 'never', ''],
    ['ITM-{YYYY}{MM}-{SEQ:4}', 'yearly', '2025'],
    ['ITM-{YYYY}{MM}-{SEQ:4}', 'monthly', '2025-01'],
    ['Y-{YYYY}-{SEQ:3}', 'never', ''],
  ];
  for (const [pattern, reset, expected] of byReset) {
    it(`${pattern}, reset ${reset ?? '(implied)'} -> ${JSON.stringify(expected)}`, () => {
      const parsed = parseSequencePattern(pattern);
      assert.equal(sequencePeriodKey(parsed, { ...input, reset }), expected);
    });
  }

  it('takes the period in the time zone', () => {
    const at = new Date('2025-01-31T20:00:00Z');
    assert.equal(sequencePeriodKey(lot, { ...input, at }), '2025-02-01');
    assert.equal(sequencePeriodKey(lot, { ...input, at, timeZone: 'UTC' }), '2025-01-31');
    const newYear = new Date('2024-12-31T16:30:00Z');
    assert.equal(sequencePeriodKey(lot, { ...input, at: newYear, reset: 'yearly' }), '2025');
    assert.equal(sequencePeriodKey(lot, { ...input, at: newYear, timeZone: 'UTC', reset: 'yearly' }), '2024');
  });

  it('counts per referenced field', () => {
    const wo = parseSequencePattern('WO-{field:line}-{SEQ:3}');
    assert.equal(sequencePeriodKey(wo, { ...input, values: { line: 'A01' } }), 'line=A01');
    assert.equal(sequencePeriodKey(wo, { ...input, values: { line: 'A02' } }), 'line=A02');
    const daily = parseSequencePattern('LOT-{YYYY}{MM}{DD}-{field:line}-{field:shift}-{SEQ:3}');
    assert.equal(
      sequencePeriodKey(daily, { ...input, values: { line: 'A01', shift: 2 } }),
      '2025-01-07|line=A01|shift=2',
    );
  });

  it('gives the same key to values that render the same, and distinct keys otherwise', () => {
    const two = parseSequencePattern('{field:a}{field:b}-{SEQ:3}');
    const key = (values: Record<string, unknown>) => sequencePeriodKey(two, { ...input, values });
    assert.equal(key({ a: 1, b: 'x' }), key({ a: '1', b: 'x' }));
    assert.notEqual(key({ a: 'x|b=y', b: 'z' }), key({ a: 'x', b: 'y|b=z' }));
    assert.equal(key({ a: 'x|b=y', b: 'z' }), 'a=x%7Cb%3Dy|b=z');
  });

  it('refuses a missing field value', () => {
    const wo = parseSequencePattern('WO-{field:line}-{SEQ:3}');
    assert.throws(() => sequencePeriodKey(wo, input), /needs a value for field 'line'/);
  });

  const refused: [string, SequenceReset, RegExp][] = [
    ['SUP-{SEQ:5}', 'yearly', /yearly reset needs \{YYYY\} or \{YY\}/],
    ['SUP-{SEQ:5}', 'monthly', /monthly reset needs \{MM\}/],
    ['SUP-{SEQ:5}', 'daily', /daily reset needs \{DD\}/],
    ['Y-{YYYY}-{SEQ:3}', 'monthly', /monthly reset needs \{MM\}/],
    ['ITM-{YYYY}{MM}-{SEQ:4}', 'daily', /daily reset needs \{DD\}/],
    ['D-{DD}-{SEQ:3}', 'monthly', /monthly reset needs \{MM\}/],
    ['WO-{field:line}-{SEQ:3}', 'daily', /daily reset needs \{DD\}/],
  ];
  for (const [pattern, reset, message] of refused) {
    it(`refuses a ${reset} reset for ${pattern}`, () => {
      const parsed = parseSequencePattern(pattern);
      const check = (err: unknown) => err instanceof SequencePatternError && message.test(err.message);
      assert.throws(() => sequencePeriodKey(parsed, { ...input, values: { line: 'A01' }, reset }), check);
      assert.throws(() => resolveSequenceReset(parsed, reset), check);
    });
  }

  it('refuses an unknown reset', () => {
    const parsed = parseSequencePattern('SUP-{SEQ:5}');
    for (const reset of ['weekly', 'toString']) {
      assert.throws(
        () => sequencePeriodKey(parsed, { ...input, reset: reset as SequenceReset }),
        /unknown reset/,
      );
    }
  });
});
