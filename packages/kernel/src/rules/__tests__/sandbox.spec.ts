/**
 * Escape attempts against rule expressions: each is refused (at save, before it runs) or evaluates
 * within the limits, and either way the answer comes in under 50 ms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsafePattern } from '@tenon/design';
import {
  assertRuleData,
  checkRuleExpr,
  compileRuleExpr,
  evaluateRuleExpr,
  MAX_RULE_STRING,
  type RuleVars,
} from '../rule-expressions.ts';

const vars = (record: Record<string, unknown> | null = null): RuleVars => ({
  event: { topic: 'record.updated', entity: 'lead', changed: ['status'] },
  record,
  process: null,
  now: '2026-05-01T08:00:00Z',
});

const LIMIT_MS = 50;

/** Runs the whole path a rule takes (data check, static check, compile, evaluate); returns the outcome and the time. */
function attemptOnce(source: string, record: Record<string, unknown> | null) {
  const started = performance.now();
  let outcome: { refused: string } | { value: unknown };
  try {
    assertRuleData(record, 'record');
    const problem = checkRuleExpr(source, 'any', null);
    outcome = problem
      ? { refused: problem }
      : { value: evaluateRuleExpr(compileRuleExpr(source), vars(record)) };
  } catch (error) {
    outcome = { refused: (error as Error).message };
  }
  return { outcome, ms: performance.now() - started };
}

/** The fastest of three attempts: the machine is shared, and a pause of another process is not the rule's cost. */
function attempt(source: string, record: Record<string, unknown> | null = null) {
  const runs = [attemptOnce(source, record), attemptOnce(source, record), attemptOnce(source, record)];
  return runs.reduce((best, run) => (run.ms < best.ms ? run : best));
}

function refused(source: string, pattern: RegExp, record: Record<string, unknown> | null = null) {
  const { outcome, ms } = attempt(source, record);
  assert.ok(
    'refused' in outcome,
    `expected a refusal of ${source.slice(0, 80)}, got ${JSON.stringify(outcome)}`,
  );
  assert.match(outcome.refused, pattern);
  assert.ok(ms < LIMIT_MS, `refused in ${ms.toFixed(1)} ms`);
}

function evaluates(source: string, expected: unknown, record: Record<string, unknown> | null = null) {
  const { outcome, ms } = attempt(source, record);
  assert.deepEqual(outcome, { value: expected });
  assert.ok(ms < LIMIT_MS, `evaluated in ${ms.toFixed(1)} ms`);
}

describe('rule sandbox: prototype access', () => {
  it('reads no prototype members of data', () => {
    refused('record.__proto__', /No such key: __proto__/, { a: 1 });
    refused('record.constructor', /No such key: constructor/, { a: 1 });
    refused('record.a.constructor', /constructor/, { a: 'x' });
    refused("{'constructor': 1}.constructor", /constructor/);
  });

  it('treats __proto__ and constructor keys in data as plain, inert keys', () => {
    const record = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": 2}}');
    evaluates('record.__proto__.polluted == 1 && record.constructor.prototype == 2', true, record);
    // Map literals: the library leaves such keys out, so they cannot reach a prototype either.
    evaluates("{'constructor': 1, '__proto__': 2, 'a': 3}", { a: 3 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });

  it('has no host objects: unknown globals are refused at check', () => {
    refused('process.env', /process|No such key|null/);
    refused('globalThis', /Unknown variable 'globalThis'/);
    refused('require("fs")', /require/);
  });
});

describe('rule sandbox: huge strings', () => {
  it('has no string repetition operator or function', () => {
    refused("'a' * 1000000", /No such overload: string \* int/);
    refused("'a'.repeat(1000000)", /repeat/);
  });

  it('bounds the expression length', () => {
    refused(`'${'a'.repeat(5000)}' == ''`, /the limit is 2000/);
  });

  it('refuses strings in data over the limit', () => {
    refused('size(record.note) > 0', /rules read strings of at most/, {
      note: 'x'.repeat(MAX_RULE_STRING + 1),
    });
  });

  it('refuses join() of a list a macro built (string repetition through a list)', () => {
    refused("size([1, 2, 3].map(x, 'aaaa').join()) > 0", /join\(\) of a list built by a macro/);
    refused('size([record.items.map(x, record.note)][0].join()) > 0', /join\(\) of a list built by a macro/, {
      items: [1],
      note: 'a',
    });
  });

  it('bounds all the strings a rule reads together; the largest join stays within the budget', () => {
    const lines = Array.from({ length: 20 }, () => 'a'.repeat(MAX_RULE_STRING));
    refused('true', /at most 200000 characters in all/, { lines, more: 'x' });
    evaluates("size(record.lines.join('-')) == 199919", true, {
      lines: lines.slice(0, 19).concat(['a'.repeat(MAX_RULE_STRING - 100)]),
    });
    const terms = (n: number) => Array.from({ length: n }, () => 'record.note').join(' + ');
    evaluates(`(${terms(30)}).contains('b')`, false, { note: 'a'.repeat(MAX_RULE_STRING) });
    refused(`(${terms(120)}).contains('b')`, /nested more than 32/, { note: 'a' });
  });
});

describe('rule sandbox: deep nesting and huge literals', () => {
  it('refuses deep nesting', () => {
    refused(`${'('.repeat(200)}1${')'.repeat(200)} == 1`, /nested|depth|Exceeded/i);
    refused(`${'['.repeat(40)}1${']'.repeat(40)} != null`, /nested more than 32/);
  });

  it('refuses huge list and map literals', () => {
    refused(`size([${Array.from({ length: 1500 }, () => '1').join(',')}]) > 0`, /limit|nodes|elements/i);
    refused(
      `size({${Array.from({ length: 600 }, (_, i) => `'k${i}': 1`).join(',')}}) > 0`,
      /limit|nodes|entries/i,
    );
  });

  it('refuses data nested too deep or lists too long', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    refused('true', /nested more than 32/, { deep });
    refused('size(record.items) > 0', /lists of at most 1000/, {
      items: Array.from({ length: 1001 }, () => 1),
    });
  });
});

describe('rule sandbox: catastrophic regexes', () => {
  it('refuses the classic exponential patterns before they run', () => {
    refused("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')", /start with \^/);
    refused("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')", /nested quantifiers/);
    refused("'aaaa!'.matches('^(a|aa)*$')", /nested quantifiers/);
    refused("'aaaa!'.matches('^(a*)*$')", /nested quantifiers/);
    refused("'abab'.matches('^(ab)\\\\1$')", /backreferences/);
    refused("'abab'.matches('^(?=a)a')", /lookaround/);
    refused("'aaaa'.matches('^a*a*$')", /at most one unbounded repetition/);
    refused("'aaaa'.matches('^a{0,100}a{0,100}$')", /too much backtracking/);
    refused("'aaaa'.matches('^a|b*c')", /top-level alternation/);
  });

  it('refuses patterns that are not literals (they cannot be checked)', () => {
    refused('record.s.matches(record.p)', /string literal/, { s: 'a', p: '(a+)+$' });
  });

  it('runs safe patterns over the longest data string within the budget', () => {
    const s = `${'a'.repeat(MAX_RULE_STRING - 1)}!`;
    evaluates("record.s.matches('^a*$')", false, { s });
    evaluates("record.s.matches('^[a-z]*[0-9]$')", false, { s });
    evaluates("record.s.matches('^(?:ab)?a*!$')", true, { s });
    evaluates("record.code.matches('^[A-Z]{2,4}-[0-9]{1,6}$')", true, { code: 'ITM-123' });
  });

  it('the pattern check itself', () => {
    assert.equal(unsafePattern('^[A-Z]{2,4}-[0-9]{1,6}$'), null);
    assert.equal(unsafePattern('^(?<year>[0-9]{4})-x*$'), null);
    assert.match(unsafePattern('^(?<=a)b') ?? '', /lookaround/);
    assert.match(unsafePattern('^(?i:a)') ?? '', /inline flags|invalid regular expression/);
    assert.match(unsafePattern(`^${'a'.repeat(300)}`) ?? '', /longer than 200/);
    assert.match(unsafePattern('^(') ?? '', /invalid regular expression/);
  });
});

describe('rule sandbox: unbounded loops', () => {
  it('refuses nested macros (quadratic loops)', () => {
    refused('[1, 2].all(x, [1, 2].exists(y, x == y))', /may not be nested/);
    refused('record.items.map(x, record.items.filter(y, y > x))', /may not be nested/, { items: [1] });
  });

  it('has no range or bind to build loops', () => {
    refused('range(1000000).all(x, true)', /range/);
    refused("cel.bind(s, 'ab', s + s) == ''", /cel.bind is not available/);
  });

  it('one macro over the longest list a rule may read stays within the budget', () => {
    evaluates('record.items.filter(x, x % 7 == 0).size() == 143', true, {
      items: Array.from({ length: 1000 }, (_, i) => i),
    });
    evaluates('record.items.all(x, string(x).size() < 5 && x >= 0)', true, {
      items: Array.from({ length: 1000 }, (_, i) => i),
    });
  });
});
