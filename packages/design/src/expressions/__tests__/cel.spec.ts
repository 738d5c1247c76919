import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '@tenon/core';
import {
  createExprEnv,
  ExprError,
  type ExprType,
  fromCelValue,
  MAX_EXPRESSION_LENGTH,
  toCelValue,
} from '../cel.ts';

const env = createExprEnv([
  { name: 'price', type: 'decimal' },
  { name: 'qty', type: 'decimal' },
  { name: 'n', type: 'int' },
  { name: 'name', type: 'string' },
  { name: 'active', type: 'bool' },
  { name: 'blocked', type: 'bool' },
  { name: 'due', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'tags', type: 'list' },
  { name: 'record', type: 'map' },
  { name: 'discount', type: 'dyn' },
]);

const run = (source: string, vars: Record<string, unknown> = {}): unknown =>
  fromCelValue(env.compile(source).evaluate(vars));

type Case = [source: string, vars: Record<string, unknown>, expected: unknown];

function table(cases: Case[]): void {
  for (const [source, vars, expected] of cases) {
    it(`${source} -> ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(run(source, vars), expected);
    });
  }
}

function refusedByCheck(source: string, ...fragments: (string | RegExp)[]): void {
  const result = env.check(source);
  assert.equal(result.valid, false, `expected ${source.slice(0, 60)} to be refused`);
  if (result.valid) return;
  for (const fragment of fragments) {
    if (typeof fragment === 'string') assert.ok(result.error.includes(fragment), result.error);
    else assert.match(result.error, fragment);
  }
  assert.throws(() => env.compile(source), ExprError);
}

describe('decimal arithmetic is exact', () => {
  table([
    ['price * qty', { price: '0.1', qty: '3' }, '0.3'],
    ['price + qty', { price: '0.1', qty: '0.2' }, '0.3'],
    ['price + qty == decimal("0.3")', { price: '0.1', qty: '0.2' }, true],
    ['price - qty', { price: '0.3', qty: '0.1' }, '0.2'],
    ['price * qty', { price: '12345678901234.5678', qty: '1234.5678' }, '15241577640603577.65279684'],
    ['price + qty', { price: '99999999999999999999.99', qty: '0.01' }, '100000000000000000000'],
    ['price / qty', { price: '1', qty: '8' }, '0.125'],
    ['decimal(1) / decimal(3)', {}, '0.3333333333333333333333333333333333'],
    ['decimal(2) / decimal(3)', {}, '0.6666666666666666666666666666666667'],
    ['-price', { price: '2.50' }, '-2.5'],
    ['-(price - qty)', { price: '1', qty: '3' }, '2'],
    ['string(price)', { price: '1.50' }, '1.5'],
    ['decimal("0.10") + decimal("0.20")', {}, '0.3'],
  ]);
});

describe('decimal and int mix', () => {
  table([
    ['price * n', { price: '0.1', n: 3 }, '0.3'],
    ['n * price', { price: '0.1', n: 3 }, '0.3'],
    ['price + 1', { price: '0.1' }, '1.1'],
    ['1 - price', { price: '0.1' }, '0.9'],
    ['price / 4', { price: '0.1' }, '0.025'],
    ['10 / price', { price: '4' }, '2.5'],
    ['decimal(n) + price', { price: '0.5', n: '2' }, '2.5'],
    ['n + 1', { n: '41' }, 42],
  ]);
});

describe('decimal comparisons', () => {
  table([
    ['price < qty', { price: '0.1', qty: '0.2' }, true],
    ['price <= qty', { price: '0.2', qty: '0.2' }, true],
    ['price > qty', { price: '0.2', qty: '0.2' }, false],
    ['price >= qty', { price: '0.2', qty: '0.2' }, true],
    ['price == qty', { price: '1.0', qty: '1.00' }, true],
    ['price != qty', { price: '1.0', qty: '1.00' }, false],
    ['price != qty', { price: '1.0', qty: '1.01' }, true],
    ['price == n', { price: '2.00', n: 2 }, true],
    ['n == price', { price: '2.00', n: 2 }, true],
    ['n != price', { price: '2.5', n: 2 }, true],
    ['price > 2', { price: '2.01' }, true],
    ['2 >= price', { price: '2.01' }, false],
    ['3 < price', { price: '2.01' }, false],
    ['price in [decimal("1"), decimal("2.50")]', { price: '2.5' }, true],
    ['[price] == [decimal("0.10")]', { price: '0.1' }, true],
  ]);
});

describe('round(decimal, int) rounds half away from zero', () => {
  table([
    ['round(price, 2)', { price: '2.345' }, '2.35'],
    ['round(price, 2)', { price: '-2.345' }, '-2.35'],
    ['round(price, 2)', { price: '2.344' }, '2.34'],
    ['round(price, 0)', { price: '2.5' }, '3'],
    ['round(price, 0)', { price: '3.5' }, '4'],
    ['round(price * qty, 2)', { price: '19.99', qty: '0.075' }, '1.5'],
  ]);

  it('refuses negative places', () => {
    assert.throws(() => run('round(price, -1)', { price: '1' }), { name: 'ExprError', message: /places/ });
  });
});

describe('division by zero', () => {
  for (const source of ['price / qty', 'price / 0', '1 / qty', 'n / 0']) {
    it(`${source} raises ExprError`, () => {
      assert.throws(
        () => run(source, { price: '1', qty: '0.00', n: 1 }),
        (error: unknown) => {
          assert.ok(error instanceof ExprError);
          assert.match(error.message, /^Division by zero/);
          return true;
        },
      );
    });
  }
});

describe('strings, booleans, ternary, dates', () => {
  table([
    ['name + "!"', { name: 'Acme' }, 'Acme!'],
    ['name.startsWith("Ac") && name.endsWith("me")', { name: 'Acme' }, true],
    ['name.contains("cm")', { name: 'Acme' }, true],
    ['size(name)', { name: 'Acme' }, 4],
    ['name.lowerAscii()', { name: 'ACME' }, 'acme'],
    ['active && !blocked', { active: true, blocked: false }, true],
    ['active && !blocked', { active: true, blocked: true }, false],
    ['active || blocked', { active: false, blocked: true }, true],
    ['qty > 10 ? "bulk" : "single"', { qty: '10.5' }, 'bulk'],
    ['qty > 10 ? "bulk" : "single"', { qty: '10' }, 'single'],
    ['active ? price : qty', { active: false, price: '1', qty: '2.5' }, '2.5'],
    ['due < "2024-06-01"', { due: '2024-05-31' }, true],
    ['at < timestamp("2024-05-01T12:00:00Z")', { at: '2024-05-01T11:59:59Z' }, true],
    ['at', { at: '2024-05-01T14:00:00+02:00' }, '2024-05-01T12:00:00.000Z'],
    ['"vip" in tags', { tags: ['new', 'vip'] }, true],
    ['record.rate * price', { record: { rate: 0.1 }, price: '3' }, '0.3'],
    ['has(record.rate) ? record.rate : decimal("0")', { record: {} }, '0'],
  ]);
});

describe('check', () => {
  it('returns the result type of a valid expression', () => {
    assert.deepEqual(env.check('price * qty'), { valid: true, type: 'decimal' });
    assert.deepEqual(env.check('price < 1'), { valid: true, type: 'bool' });
    assert.deepEqual(env.check('name + "x"'), { valid: true, type: 'string' });
    assert.deepEqual(env.check('at'), { valid: true, type: 'timestamp' });
    assert.deepEqual(env.check('due'), { valid: true, type: 'string' });
  });

  it('refuses an undeclared variable, naming it and the declared ones', () => {
    refusedByCheck('zz + 1', "Unknown variable 'zz'", 'price', 'line 1, column 1');
    assert.throws(
      () => createExprEnv([]).compile('price'),
      /Unknown variable 'price'; no variables are declared/,
    );
  });

  it('refuses type errors with their position', () => {
    refusedByCheck('name + 1', 'No such overload: string + int', 'line 1, column 1');
    refusedByCheck('active &&\n  name * 2', 'No such overload: string * int', 'line 2, column 3');
    refusedByCheck('price + name', 'No such overload: decimal + string');
  });

  it('refuses binary floats mixed with decimals, with a hint', () => {
    refusedByCheck('price * 1.5', 'decimal * double', 'decimal("1.5")');
    refusedByCheck('price < 0.5', 'decimal < double');
  });

  it('refuses syntax errors', () => {
    refusedByCheck('price +', /Unexpected token/, 'line 1, column 8');
    refusedByCheck('', /Unexpected token/);
  });

  it('refuses an expression longer than the limit', () => {
    const long = `name == "${'x'.repeat(MAX_EXPRESSION_LENGTH)}"`;
    refusedByCheck(long, `${long.length} characters long`, 'the limit is 4000');
    const justFits = `name == "${'x'.repeat(MAX_EXPRESSION_LENGTH - 10)}"`;
    assert.equal(justFits.length, MAX_EXPRESSION_LENGTH);
    assert.equal(env.check(justFits).valid, true);
  });

  it('refuses nesting deeper than the limit', () => {
    assert.equal(env.check(`${'('.repeat(40)}1${')'.repeat(40)}`).valid, true);
    refusedByCheck(`${'('.repeat(60)}1${')'.repeat(60)}`, 'Exceeded maxDepth (50)');
  });

  it('refuses too many AST nodes and oversized literals', () => {
    const sum = Array.from({ length: 1100 }, () => 'n').join('+');
    assert.ok(sum.length < MAX_EXPRESSION_LENGTH);
    refusedByCheck(sum, /maxAstNodes/);
    refusedByCheck(`[${Array.from({ length: 1001 }, () => '1').join(',')}].size() > 0`, /maxListElements/);
  });

  it('exposes no clock, no host internals of decimals', () => {
    refusedByCheck('now()', /no matching overload|Unknown|not/i);
    refusedByCheck('price.e', /No such key: e/);
  });

  it('never throws', () => {
    assert.equal(env.check(42 as unknown as string).valid, false);
  });
});

describe('compile', () => {
  it('throws ExprError for an invalid expression', () => {
    assert.throws(() => env.compile('name + 1'), ExprError);
  });

  it('caches compiled expressions by source', () => {
    assert.equal(env.compile('price * 2'), env.compile('price * 2'));
    assert.equal(env.compile('price * 2').source, 'price * 2');
  });

  it('converts variable values and names the variable when one is wrong', () => {
    assert.throws(() => run('price * 2', { price: 0.1 }), /Variable 'price': .*never as binary floats/);
    assert.throws(() => run('n + 1', { n: '1.5' }), /Variable 'n': Expected a 64-bit integer/);
  });

  it('refuses decimal values beyond 1,000 digits', () => {
    assert.throws(() => run('price', { price: '9'.repeat(1001) }), /at most 1000 digits/);
    assert.throws(() => run('price * price', { price: '9'.repeat(600) }), /at most 1000 digits/);
  });
});

describe('null and missing values', () => {
  it('a null decimal variable raises a clear error when read', () => {
    assert.equal(env.check('price > 0').valid, true);
    assert.throws(() => run('price > 0', { price: null }), {
      name: 'ExprError',
      message: /^Variable 'price' is null, but a decimal value is required/,
    });
  });

  it('a missing variable raises a clear error when read, and is fine when not read', () => {
    assert.throws(() => run('price > 0', {}), { message: /^Variable 'price' has no value/ });
    assert.equal(run('n > 0', { n: 1 }), true);
  });

  it('a value that may be empty is declared dyn, tested against null and read with decimal()', () => {
    const source = 'discount == null ? price : price - decimal(discount)';
    assert.equal(env.check(source).valid, true);
    assert.equal(run(source, { price: '10', discount: null }), '10');
    assert.equal(run(source, { price: '10', discount: '1.5' }), '8.5');
    assert.equal(run(source, { price: '10', discount: 2 }), '8');
    // a dyn string stays a string: arithmetic on it without decimal() is a runtime error
    assert.throws(() => run('price - discount', { price: '10', discount: '1.5' }), {
      name: 'ExprError',
      message: /No such overload: decimal - dyn<string>/,
    });
  });

  it('a map field that may be absent is tested with has()', () => {
    const source = 'has(record.discount) ? price - record.discount : price';
    assert.equal(run(source, { price: '10', record: {} }), '10');
    assert.equal(run(source, { price: '10', record: { discount: 1.5 } }), '8.5');
  });
});

describe('toCelValue', () => {
  const cases: [type: ExprType, input: unknown, expected: unknown][] = [
    ['int', 42, 42n],
    ['int', '-42', -42n],
    ['int', 7n, 7n],
    ['decimal', '0.10', new Decimal('0.1')],
    ['decimal', '-12', new Decimal(-12)],
    ['decimal', 3, new Decimal(3)],
    ['date', '2024-02-29', '2024-02-29'],
    ['timestamp', '2024-05-01T12:00:00Z', new Date(Date.UTC(2024, 4, 1, 12))],
    ['string', 'x', 'x'],
    ['bool', false, false],
    ['list', [1, 0.5, 'a'], [1n, new Decimal('0.5'), 'a']],
    ['decimal', null, null],
    ['int', null, null],
    ['dyn', null, null],
  ];
  for (const [type, input, expected] of cases) {
    it(`${type} ${JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`, () => {
      assert.deepEqual(toCelValue(input, type), expected);
    });
  }

  it('converts maps to plain data with int and decimal numbers', () => {
    const map = toCelValue({ a: 1, b: 0.25, c: [{ d: '2' }] }, 'map') as Map<string, unknown>;
    assert.equal(map.get('a'), 1n);
    const b = map.get('b');
    assert.ok(b instanceof Decimal && b.eq('0.25'));
    assert.deepEqual(map.get('c'), [new Map([['d', '2']])]);
  });

  it('keeps constructor and __proto__ keys of data as plain keys (the library reads an object constructor)', () => {
    const data = JSON.parse('{"constructor": {"prototype": 2}, "__proto__": {"x": 1}}');
    assert.equal(run('record.constructor.prototype == 2 && record.__proto__.x == 1', { record: data }), true);
  });

  const refused: [type: ExprType, input: unknown, message: RegExp][] = [
    ['int', 1.5, /64-bit integer/],
    ['int', '9223372036854775808', /64-bit integer/],
    ['int', '12abc', /64-bit integer/],
    ['decimal', 0.1, /never as binary floats/],
    ['decimal', '1e5', /decimal string/],
    ['decimal', '', /decimal string/],
    ['date', '2023-02-29', /date/],
    ['date', '2024-05-01T00:00:00Z', /date/],
    ['timestamp', '2024-05-01T12:00:00', /time zone/],
    ['timestamp', 'yesterday', /time zone/],
    ['string', 5, /Expected a string/],
    ['bool', 'true', /Expected a boolean/],
    ['list', 'abc', /Expected a list/],
    ['map', new (class Host {})(), /plain data/],
    ['dyn', () => 1, /plain data only/],
    ['dyn', { n: Number.POSITIVE_INFINITY }, /finite/],
  ];
  for (const [type, input, message] of refused) {
    it(`refuses ${type} ${String(input)}`, () => {
      assert.throws(
        () => toCelValue(input, type),
        (error: unknown) => {
          assert.ok(error instanceof ExprError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('fromCelValue', () => {
  const cases: [label: string, input: unknown, expected: unknown][] = [
    ['safe int', 42n, 42],
    ['unsafe int', 2n ** 60n, '1152921504606846976'],
    ['decimal without exponent', new Decimal('1e-7'), '0.0000001'],
    ['large decimal without exponent', new Decimal('1e21'), '1000000000000000000000'],
    ['double as decimal string', 0.1 + 0.2, '0.30000000000000004'],
    ['timestamp', new Date(Date.UTC(2024, 4, 1)), '2024-05-01T00:00:00.000Z'],
    ['nested', [{ a: 1n, b: [new Decimal('2.50')] }], [{ a: 1, b: ['2.5'] }]],
    [
      'Map',
      new Map<unknown, unknown>([
        ['k', 1n],
        [2n, true],
      ]),
      { k: 1, 2: true },
    ],
    ['null', null, null],
  ];
  for (const [label, input, expected] of cases) {
    it(label, () => assert.deepEqual(fromCelValue(input), expected));
  }

  for (const value of [Number.POSITIVE_INFINITY, Number.NaN, new Date(Number.NaN), () => 1]) {
    it(`refuses ${String(value)}`, () => assert.throws(() => fromCelValue(value), ExprError));
  }

  const roundTrips: [type: ExprType, json: unknown][] = [
    ['decimal', '12.5'],
    ['decimal', '-0.0001'],
    ['int', 42],
    ['date', '2024-05-01'],
    ['timestamp', '2024-05-01T12:00:00.123Z'],
    ['list', [1, '0.5', 'x']],
    ['map', { a: 1, b: { c: 'd' } }],
    ['decimal', null],
  ];
  for (const [type, json] of roundTrips) {
    it(`round trip ${type} ${JSON.stringify(json)}`, () => {
      assert.deepEqual(fromCelValue(toCelValue(json, type)), json);
    });
  }
});

describe('createExprEnv', () => {
  it('refuses bad declarations', () => {
    assert.throws(() => createExprEnv([{ name: 'bad-name', type: 'int' }]), /not a valid variable name/);
    assert.throws(() => createExprEnv([{ name: 'x', type: 'float' as ExprType }]), /unknown type 'float'/);
    assert.throws(
      () =>
        createExprEnv([
          { name: 'x', type: 'int' },
          { name: 'x', type: 'int' },
        ]),
      /declared twice/,
    );
  });

  it('keeps environments independent', () => {
    const other = createExprEnv([{ name: 'x', type: 'int' }]);
    assert.equal(other.check('x + 1').valid, true);
    assert.equal(other.check('price').valid, false);
    assert.equal(env.check('x').valid, false);
  });
});

describe('bound variables', () => {
  it('converts once and serves several expressions; refuses variables bound by another environment', () => {
    const data = env.bind({ price: '12.50', qty: '3', name: 'bolt' });
    assert.equal(fromCelValue(env.compile('price * qty').evaluate(data)), '37.5');
    assert.equal(env.compile('name == "bolt"').evaluate(data), true);
    const other = createExprEnv([{ name: 'price', type: 'decimal' }]);
    assert.throws(() => other.compile('price > decimal("1")').evaluate(data), ExprError);
  });
});
