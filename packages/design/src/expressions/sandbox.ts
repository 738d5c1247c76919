/**
 * Static limits for expressions that run unattended on every event (kernel rules), on top of the
 * limits every expression has (cel.ts). The checks walk the parsed syntax tree before the expression
 * is ever evaluated:
 *
 * - size: at most `maxNodes` syntax nodes and `maxDepth` levels of nesting;
 * - loops: comprehension macros (all, exists, exists_one, map, filter) may not nest, so one
 *   expression iterates at most once over a list (lists in rule data are bounded by the caller);
 *   `cel.bind` is refused (it would let an expression double a string at each level), and so is
 *   `join()` of a list a macro built (`items.map(x, s).join()` repeats a string);
 * - regular expressions: the library runs `matches` with JavaScript's backtracking RegExp (measured:
 *   even `a*$` is quadratic unanchored), so a pattern must be a string literal anchored with `^`, with
 *   no top-level alternation, no backreferences, no lookaround or inline flags, no quantified group
 *   that holds a quantifier or an alternation, at most one unbounded repetition, and bounded
 *   repetitions whose combined backtracking (product of max + 1) is at most `MAX_BACKTRACK`. The
 *   work is then linear in the subject times that product; callers bound the subject's length.
 */
import { ParseError, parse } from '@marcbachmann/cel-js';

export type SandboxLimits = { maxNodes: number; maxDepth: number; maxLength: number };

export const RULE_SANDBOX_LIMITS: SandboxLimits = { maxNodes: 500, maxDepth: 32, maxLength: 2000 };

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const MAX_PATTERN_LENGTH = 200;
const MAX_BACKTRACK = 1000;

type Node = { op: string; args: unknown };

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && 'op' in value && 'args' in value;

function children(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (value: unknown) => {
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) for (const item of value) visit(item);
  };
  visit(node.args);
  return out;
}

function containsComprehension(value: unknown): boolean {
  if (!isNode(value)) return false;
  if (value.op === 'rcall' && Array.isArray(value.args) && COMPREHENSIONS.has(value.args[0] as string))
    return true;
  return children(value).some(containsComprehension);
}

/** Problems that refuse the expression (empty: it may run). Syntax errors are left to the type checker. */
export function inspectExpression(source: string, limits: SandboxLimits = RULE_SANDBOX_LIMITS): string[] {
  if (typeof source !== 'string') return ['An expression must be a string'];
  if (source.length > limits.maxLength) {
    return [`The expression is ${source.length} characters long; the limit is ${limits.maxLength}`];
  }
  let root: Node;
  try {
    root = parse(source).ast as unknown as Node;
  } catch (error) {
    if (error instanceof ParseError) return [];
    return [error instanceof Error ? error.message : String(error)];
  }
  const problems = new Set<string>();
  let nodes = 0;
  const walk = (node: Node, depth: number, inLoop: boolean) => {
    nodes += 1;
    if (depth > limits.maxDepth) {
      problems.add(`The expression is nested more than ${limits.maxDepth} levels deep`);
      return;
    }
    let loop = inLoop;
    if (node.op === 'rcall' && Array.isArray(node.args)) {
      const [name, receiver, args] = node.args as [string, unknown, unknown[]];
      if (name === 'bind' && isNode(receiver) && receiver.op === 'id' && receiver.args === 'cel') {
        problems.add('cel.bind is not available in rules');
      }
      if (COMPREHENSIONS.has(name)) {
        if (inLoop) problems.add(`Macros over lists may not be nested ('${name}' inside another macro)`);
        loop = true;
      }
      if (name === 'join' && containsComprehension(receiver)) {
        problems.add('join() of a list built by a macro is not available (it repeats strings)');
      }
      if (name === 'matches') {
        const pattern = Array.isArray(args) ? args[0] : undefined;
        if (!isNode(pattern) || pattern.op !== 'value' || typeof pattern.args !== 'string') {
          problems.add('matches() needs a pattern written as a string literal');
        } else {
          const unsafe = unsafePattern(pattern.args);
          if (unsafe) problems.add(`matches(): ${unsafe}`);
        }
      }
    }
    for (const child of children(node)) walk(child, depth + 1, loop);
  };
  walk(root, 1, false);
  if (nodes > limits.maxNodes)
    problems.add(`The expression has ${nodes} nodes; the limit is ${limits.maxNodes}`);
  return [...problems];
}

/**
 * Why a pattern could backtrack catastrophically (null: it is in the linear subset). A conservative
 * scan of the pattern text: it may refuse a harmless pattern, never accepts a nested repetition.
 */
export function unsafePattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch {
    return `invalid regular expression ${JSON.stringify(pattern)}`;
  }
  if (!pattern.startsWith('^')) return 'the pattern must start with ^ (an unanchored search is quadratic)';
  // Per open group: does it hold a quantifier or an alternation?
  const groups: { quantified: boolean; alternation: boolean }[] = [];
  let unbounded = 0;
  let backtrack = 1;
  let inClass = false;
  let lastGroup: { quantified: boolean; alternation: boolean } | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9k]/.test(next) && !inClass) return 'backreferences are not allowed';
      i += 1;
      lastGroup = null;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?' && pattern[i + 2] !== ':') {
        if (pattern[i + 2] !== '<' || /[=!]/.test(pattern[i + 3] ?? '')) {
          return 'lookaround and inline flags are not allowed';
        }
      }
      groups.push({ quantified: false, alternation: false });
      lastGroup = null;
      if (pattern[i + 1] === '?') {
        const close = pattern[i + 2] === '<' ? pattern.indexOf('>', i) : i + 2;
        i = close < 0 ? i + 2 : close;
      }
      continue;
    }
    if (c === ')') {
      lastGroup = groups.pop() ?? null;
      continue;
    }
    if (c === '|') {
      const open = groups.at(-1);
      if (!open) return 'a top-level alternation is not anchored; write ^(?:a|b)';
      open.alternation = true;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      if (quantifier.max === null) unbounded += 1;
      else backtrack *= quantifier.max + 1;
      if (backtrack > MAX_BACKTRACK) return 'bounded repetitions allow too much backtracking; shorten them';
      if (lastGroup && (lastGroup.quantified || lastGroup.alternation) && quantifier.max !== 1) {
        return 'a repeated group may not contain a repetition or an alternation (nested quantifiers)';
      }
      for (const open of groups) open.quantified = true;
      if (lastGroup) for (const open of groups) open.quantified ||= lastGroup.quantified;
      i = quantifier.end;
      if (pattern[i + 1] === '?') i += 1;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
  }
  if (unbounded > 1)
    return 'at most one unbounded repetition (*, +, {n,}) is allowed; bound the others, e.g. {0,20}';
  return null;
}

function quantifierAt(pattern: string, i: number): { max: number | null; end: number } | null {
  const c = pattern[i];
  if (c === '*' || c === '+') return { max: null, end: i };
  if (c === '?') return { max: 1, end: i };
  if (c !== '{') return null;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!match) return null;
  const end = i + match[0].length - 1;
  if (!match[2]) return { max: Number(match[1]), end };
  return { max: match[3] ? Number(match[3]) : null, end };
}

/**
 * The fields an expression selects below a variable path: for `['record']`, `record.total > 1` gives
 * `total`. Lets a caller check field names against an entity before the expression runs.
 */
export function selectedFields(source: string, path: string[]): string[] {
  let root: Node;
  try {
    root = parse(source).ast as unknown as Node;
  } catch {
    return [];
  }
  const chainOf = (node: Node): string[] | null => {
    if (node.op === 'id' && typeof node.args === 'string') return [node.args];
    if (node.op === '.' && Array.isArray(node.args) && isNode(node.args[0])) {
      const head = chainOf(node.args[0]);
      return head && typeof node.args[1] === 'string' ? [...head, node.args[1]] : null;
    }
    return null;
  };
  const found = new Set<string>();
  const walk = (node: Node) => {
    const chain = chainOf(node);
    if (chain && chain.length === path.length + 1 && path.every((p, i) => chain[i] === p)) {
      found.add(chain[path.length] as string);
    }
    for (const child of children(node)) walk(child);
  };
  walk(root);
  return [...found];
}
