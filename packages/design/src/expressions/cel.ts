/**
 * Tenon's one place for evaluating user-written CEL expressions (conditions, defaults, computed fields).
 *
 * - Pure: an expression sees only its declared variables, converted to plain data. No clock, no process
 *   environment, no host objects, never JS eval.
 * - Exact money: `decimal` is a CEL type backed by decimal.js. `+ - *` are exact, `/` keeps 34 significant
 *   digits rounded half-up, division by zero is an error. Nothing goes through a binary float.
 * - Bounded: 4,000 characters, 2,000 AST nodes, nesting depth 50, 1,000 list/map literal entries; a decimal
 *   value has at most 1,000 digits before the point and 1,000 after it.
 *
 * Library notes (@marcbachmann/cel-js v8):
 * - Equality can be overloaded: `decimal == decimal` and `decimal == int` are registered, and the library
 *   derives `!=` and the swapped `int == decimal` itself. Equality is by value: decimal("1.0") == decimal("1.00").
 * - A variable with a concrete type cannot hold null (CEL has no nullable scalars): reading a null `decimal`
 *   variable throws an ExprError naming it. A value that may be empty is declared 'dyn' and tested with
 *   `x == null`, or read from a map and tested with `has(record.x)`.
 * - `1.5` is a CEL double and does not mix with decimals (`price * 1.5` is refused): write decimal("1.5").
 * - 'date' variables are 'YYYY-MM-DD' strings in CEL, so they compare in calendar order.
 */
import {
  TypeError as CelTypeError,
  Environment,
  EvaluationError,
  ParseError,
  type ParseResult,
} from '@marcbachmann/cel-js';
import { Decimal } from '@tenon/core';
import { ARITHMETIC, COMPARISONS, decimalFromText, roundHalfUp, toDecimal } from './decimal.ts';
import { ExprError, messageOf, quote } from './expr-error.ts';
import { toCelValue } from './values.ts';

export { DIVISION_DIGITS, MAX_DECIMAL_DIGITS } from './decimal.ts';
export { ExprError } from './expr-error.ts';
export * from './sandbox.ts';
export { fromCelValue, toCelValue } from './values.ts';

export type ExprType = 'string' | 'int' | 'decimal' | 'bool' | 'date' | 'timestamp' | 'list' | 'map' | 'dyn';
export type ExprVariable = { name: string; type: ExprType };
export type CheckResult = { valid: true; type: string } | { valid: false; error: string };
export type CompiledExpr = { evaluate(vars: Record<string, unknown> | BoundVars): unknown; source: string };
export type ExprEnv = {
  check(source: string): CheckResult;
  compile(source: string): CompiledExpr;
  /** Converts variables once, for evaluating several expressions of this environment over them. */
  bind(vars: Record<string, unknown>): BoundVars;
};

/** Variables already converted to CEL values by one environment's `bind`. */
export class BoundVars {
  constructor(
    readonly owner: object,
    readonly context: Map<string, unknown>,
  ) {}
}

export const MAX_EXPRESSION_LENGTH = 4000;
const LIMITS = {
  maxAstNodes: 2000,
  maxDepth: 50,
  maxListElements: 1000,
  maxMapEntries: 1000,
  maxCallArguments: 32,
};
const CACHE_SIZE = 500;

const CEL_TYPES: Record<ExprType, string> = {
  string: 'string',
  int: 'int',
  decimal: 'decimal',
  bool: 'bool',
  date: 'string',
  timestamp: 'google.protobuf.Timestamp',
  list: 'list',
  map: 'map',
  dyn: 'dyn',
};

let baseEnv: Environment | undefined;

/** Types, operators and functions shared by every expression environment; built once, then cloned. */
function baseEnvironment(): Environment {
  if (baseEnv) return baseEnv;
  const env = new Environment({ limits: LIMITS, unlistedVariablesAreDyn: false });
  // `fields: {}` hides decimal.js internals (d, e, s) from field access.
  env.registerType('decimal', { ctor: Decimal, fields: {} });
  for (const [left, right] of [
    ['decimal', 'decimal'],
    ['decimal', 'int'],
    ['int', 'decimal'],
  ]) {
    for (const [op, apply] of Object.entries(ARITHMETIC)) {
      env.registerOperator(`${left} ${op} ${right}: decimal`, (a, b) => apply(toDecimal(a), toDecimal(b)));
    }
    for (const [op, test] of Object.entries(COMPARISONS)) {
      env.registerOperator(`${left} ${op} ${right}`, (a, b) => test(toDecimal(a).cmp(toDecimal(b))));
    }
  }
  // The library adds `!=` and the swapped `int == decimal` for these.
  env.registerOperator('decimal == decimal', (a: Decimal, b: Decimal) => a.eq(b));
  env.registerOperator('decimal == int', (a: Decimal, b: bigint) => a.eq(toDecimal(b)));
  env.registerOperator('-decimal', (a: Decimal) => a.negated());
  env.registerFunction('decimal(string): decimal', decimalFromText, {
    description: 'Parses a decimal number written like "12.50"',
  });
  env.registerFunction('decimal(int): decimal', (n: bigint) => toDecimal(n));
  env.registerFunction('decimal(decimal): decimal', (x: Decimal) => x);
  env.registerFunction('round(decimal, int): decimal', roundHalfUp, {
    description: 'Rounds to the given number of decimal places, half away from zero',
  });
  env.registerFunction('string(decimal): string', (x: Decimal) => x.toFixed());
  baseEnv = env;
  return env;
}

// --- environments ---------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createExprEnv(variables: ExprVariable[]): ExprEnv {
  const env = baseEnvironment().clone();
  const declared = new Map<string, ExprType>();
  for (const { name, type } of variables) {
    if (!IDENTIFIER.test(name)) throw new ExprError(`${quote(name)} is not a valid variable name`);
    if (!Object.hasOwn(CEL_TYPES, type)) throw new ExprError(`Variable '${name}' has unknown type '${type}'`);
    if (declared.has(name)) throw new ExprError(`Variable '${name}' is declared twice`);
    try {
      env.registerVariable(name, CEL_TYPES[type]);
    } catch (error) {
      throw new ExprError(`Variable '${name}' cannot be declared: ${messageOf(error)}`);
    }
    declared.set(name, type);
  }

  const cache = new Map<string, { compiled: CompiledExpr; type: string }>();

  const owner = {};

  function convert(vars: Record<string, unknown>): Map<string, unknown> {
    const context = new Map<string, unknown>();
    for (const [name, type] of declared) {
      const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
      if (value === undefined) continue;
      try {
        context.set(name, toCelValue(value, type));
      } catch (error) {
        throw new ExprError(`Variable '${name}': ${messageOf(error)}`);
      }
    }
    return context;
  }

  function run(parsed: ParseResult, vars: Record<string, unknown> | BoundVars): unknown {
    if (vars instanceof BoundVars && vars.owner !== owner) {
      throw new ExprError('Variables bound by another expression environment');
    }
    const context = vars instanceof BoundVars ? vars.context : convert(vars);
    try {
      return parsed(context);
    } catch (error) {
      throw toExprError(error, parsed.ast.input, declared);
    }
  }

  function prepare(source: string): { compiled: CompiledExpr; type: string } {
    const hit = cache.get(source);
    if (hit) return hit;
    if (typeof source !== 'string') throw new ExprError('An expression must be a string');
    if (source.length > MAX_EXPRESSION_LENGTH) {
      throw new ExprError(
        `The expression is ${source.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
      );
    }
    let parsed: ParseResult;
    let type: string;
    try {
      parsed = env.parse(source);
      const result = parsed.check();
      if (!result.valid) throw result.error;
      type = (result.type ?? 'dyn').replace(/google\.protobuf\.(Timestamp|Duration)/g, (_m, t: string) =>
        t.toLowerCase(),
      );
    } catch (error) {
      throw toExprError(error, source, declared);
    }
    const entry = {
      compiled: { source, evaluate: (vars: Record<string, unknown>) => run(parsed, vars) },
      type,
    };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(source, entry);
    return entry;
  }

  return {
    check(source) {
      try {
        return { valid: true, type: prepare(source).type };
      } catch (error) {
        return { valid: false, error: messageOf(error) };
      }
    },
    compile: (source) => prepare(source).compiled,
    bind: (vars) => new BoundVars(owner, convert(vars)),
  };
}

// --- errors ---------------------------------------------------------------------------------------

function toExprError(error: unknown, source: string, declared: Map<string, ExprType>): ExprError {
  if (error instanceof ExprError) return error;
  if (error instanceof ParseError || error instanceof EvaluationError || error instanceof CelTypeError) {
    const text = explain(error.code, error.summary, declared);
    const start = error.range?.start;
    return new ExprError(typeof start === 'number' ? `${text} (${position(source, start)})` : text, {
      cause: error,
    });
  }
  return new ExprError(messageOf(error), { cause: error });
}

function explain(code: string, summary: string, declared: Map<string, ExprType>): string {
  if (code === 'unknown_variable') {
    const name = summary.replace(/^Unknown variable: /, '');
    if (declared.has(name)) return `Variable '${name}' has no value`;
    const names = [...declared.keys()];
    return names.length
      ? `Unknown variable '${name}'; the declared variables are: ${names.join(', ')}`
      : `Unknown variable '${name}'; no variables are declared`;
  }
  const nullVariable = /^Variable '(.+)' is not of type '(.+)', got 'null'$/.exec(summary);
  if (nullVariable)
    return `Variable '${nullVariable[1]}' is null, but a ${nullVariable[2]} value is required`;
  const text = summary.charAt(0).toUpperCase() + summary.slice(1);
  if (/\bdouble\b/.test(summary) && /\bdecimal\b/.test(summary)) {
    return `${text}; write decimal numbers as decimal("1.5"), binary floats do not mix with decimals`;
  }
  return text;
}

function position(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
