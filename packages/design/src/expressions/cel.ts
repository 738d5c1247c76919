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
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { Decimal, parseDecimal } from '@tenon/core';

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

export class ExprError extends Error {
  override name = 'ExprError';
}

export const MAX_EXPRESSION_LENGTH = 4000;
/** Digits a decimal value may have before the point, and again after it. */
export const MAX_DECIMAL_DIGITS = 1000;
/** Significant digits kept by decimal division (as IEEE 754 decimal128), rounded half-up. */
export const DIVISION_DIGITS = 34;
const LIMITS = {
  maxAstNodes: 2000,
  maxDepth: 50,
  maxListElements: 1000,
  maxMapEntries: 1000,
  maxCallArguments: 32,
};
const CACHE_SIZE = 500;
const MAX_DATA_DEPTH = 32;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

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

// --- decimal arithmetic --------------------------------------------------------------------------

// decimal.js rounds every result to `precision` significant digits (20 by default). Two bounded operands
// have at most 4 * MAX_DECIMAL_DIGITS significant digits in their exact product, so these results are exact.
const Exact = Decimal.clone({ precision: 4 * MAX_DECIMAL_DIGITS + 4, rounding: Decimal.ROUND_HALF_UP });
const Quotient = Decimal.clone({ precision: DIVISION_DIGITS, rounding: Decimal.ROUND_HALF_UP });

function bounded(x: Decimal): Decimal {
  if (!x.isFinite()) throw new ExprError('A decimal value must be a finite number');
  if (x.e >= MAX_DECIMAL_DIGITS || x.dp() > MAX_DECIMAL_DIGITS) {
    throw new ExprError(
      `A decimal value may have at most ${MAX_DECIMAL_DIGITS} digits before the point and ${MAX_DECIMAL_DIGITS} after it`,
    );
  }
  return x;
}

/** Back to the shared Decimal class (the constructor copies digits without rounding). */
const settle = (x: Decimal): Decimal => bounded(new Decimal(x));
const toDecimal = (v: Decimal | bigint): Decimal => (typeof v === 'bigint' ? new Decimal(v.toString()) : v);

const ARITHMETIC: Record<string, (a: Decimal, b: Decimal) => Decimal> = {
  '+': (a, b) => settle(new Exact(a).plus(b)),
  '-': (a, b) => settle(new Exact(a).minus(b)),
  '*': (a, b) => settle(new Exact(a).times(b)),
  '/': (a, b) => {
    if (b.isZero()) throw new ExprError('Division by zero');
    return settle(new Quotient(a).div(b));
  },
};

const COMPARISONS: Record<string, (order: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

function decimalFromText(text: string): Decimal {
  const value = parseDecimal(text);
  if (!value) throw new ExprError(`decimal(): ${quote(text)} is not a decimal number such as "12.50"`);
  return bounded(value);
}

function roundHalfUp(value: Decimal, places: bigint): Decimal {
  if (places < 0n || places > BigInt(MAX_DECIMAL_DIGITS)) {
    throw new ExprError(`round(): places must be between 0 and ${MAX_DECIMAL_DIGITS}, got ${places}`);
  }
  return value.toDecimalPlaces(Number(places), Decimal.ROUND_HALF_UP);
}

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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null)
    return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

// --- values in --------------------------------------------------------------------------------------

const INTEGER_TEXT = /^-?\d{1,19}$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isCalendarDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function toInt(value: unknown): bigint {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) n = BigInt(value);
  if (n === undefined || n < INT64_MIN || n > INT64_MAX) {
    throw new ExprError(`Expected a 64-bit integer, got ${describeValue(value)}`);
  }
  return n;
}

function toDecimalValue(value: unknown): Decimal {
  if (Decimal.isDecimal(value)) return bounded(new Decimal(value));
  if (typeof value === 'bigint') return toDecimal(toInt(value));
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new Decimal(value);
  if (typeof value === 'string') {
    const parsed = parseDecimal(value);
    if (parsed) return bounded(parsed);
  }
  throw new ExprError(
    `Expected a decimal string such as "12.50", got ${describeValue(value)}` +
      (typeof value === 'number' ? ' (decimals are passed as strings, never as binary floats)' : ''),
  );
}

function toTimestamp(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  if (typeof value === 'string' && INSTANT_TEXT.test(value) && isCalendarDate(value.slice(0, 10))) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new ExprError(
    `Expected an ISO timestamp with a time zone such as "2024-05-01T12:00:00Z", got ${describeValue(value)}`,
  );
}

/** Plain JSON-ish data for 'dyn', 'list' and 'map': integers become int, other numbers decimal. */
function toDynValue(value: unknown, depth: number): unknown {
  if (depth > MAX_DATA_DEPTH) throw new ExprError(`Data is nested more than ${MAX_DATA_DEPTH} levels deep`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return toInt(value);
    case 'number':
      if (Number.isSafeInteger(value)) return BigInt(value);
      if (Number.isFinite(value)) return bounded(new Decimal(String(value)));
      throw new ExprError(`Expected a finite number, got ${value}`);
    case 'object':
      break;
    default:
      throw new ExprError(`Unsupported value: ${describeValue(value)}; expressions read plain data only`);
  }
  if (Decimal.isDecimal(value)) return bounded(new Decimal(value));
  if (value instanceof Date) return toTimestamp(value);
  if (Array.isArray(value)) return value.map((item) => toDynValue(item, depth + 1));
  return toMap(value, depth);
}

/** A JS Map, not an object: the library reads an object's `constructor`, which a data key could spoof. */
function toMap(value: unknown, depth: number): Map<string, unknown> {
  let entries: [unknown, unknown][] | undefined;
  if (value instanceof Map) entries = [...value.entries()];
  else if (typeof value === 'object' && value !== null && isPlainObject(value))
    entries = Object.entries(value);
  if (!entries) throw new ExprError(`Expected a map of plain data, got ${describeValue(value)}`);
  const map = new Map<string, unknown>();
  for (const [key, item] of entries) {
    if (typeof key !== 'string') throw new ExprError(`Map keys must be strings, got ${describeValue(key)}`);
    if (item !== undefined) map.set(key, toDynValue(item, depth + 1));
  }
  return map;
}

/** Converts plain JSON-ish record values into CEL values for the declared variable types. */
export function toCelValue(value: unknown, type: ExprType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
    case 'bool':
      if (typeof value !== (type === 'bool' ? 'boolean' : 'string')) {
        throw new ExprError(
          `Expected a ${type === 'bool' ? 'boolean' : 'string'}, got ${describeValue(value)}`,
        );
      }
      return value;
    case 'int':
      return toInt(value);
    case 'decimal':
      return toDecimalValue(value);
    case 'date':
      if (typeof value === 'string' && DATE_TEXT.test(value) && isCalendarDate(value)) return value;
      throw new ExprError(`Expected a date such as "2024-05-01", got ${describeValue(value)}`);
    case 'timestamp':
      return toTimestamp(value);
    case 'list':
      if (!Array.isArray(value)) throw new ExprError(`Expected a list, got ${describeValue(value)}`);
      return toDynValue(value, 0);
    case 'map':
      return toMap(value, 0);
    case 'dyn':
      return toDynValue(value, 0);
    default:
      throw new ExprError(`Unknown expression type '${String(type)}'`);
  }
}

// --- values out -------------------------------------------------------------------------------------

const bigintToJson = (n: bigint): number | string =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

/**
 * Converts a CEL result back to JSON: int -> number when safe, else string; decimal -> canonical string;
 * timestamp -> ISO string; a double -> decimal string (finite only); lists and maps recursively.
 */
export function fromCelValue(value: unknown): unknown {
  return fromCel(value, 0);
}

function fromCel(value: unknown, depth: number): unknown {
  if (depth > MAX_DATA_DEPTH)
    throw new ExprError(`The result is nested more than ${MAX_DATA_DEPTH} levels deep`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return bigintToJson(value);
    case 'number':
      if (!Number.isFinite(value)) throw new ExprError(`The result is not a finite number (${value})`);
      return new Decimal(String(value)).toFixed();
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new ExprError('The result is not a finite decimal');
    return value.toFixed();
  }
  if (value instanceof UnsignedInt) return bigintToJson(value.valueOf());
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ExprError('The result is an invalid timestamp');
    return value.toISOString();
  }
  if (Array.isArray(value) || value instanceof Set) return [...value].map((item) => fromCel(item, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [String(fromCel(k, depth + 1)), fromCel(v, depth + 1)]),
    );
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v, depth + 1)]));
  }
  throw new ExprError(`A result of type ${describeValue(value)} cannot be converted to JSON`);
}

export * from './sandbox.ts';
