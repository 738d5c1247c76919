/** The error of expressions, and how values are named in its messages. */
export class ExprError extends Error {
  override name = 'ExprError';
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null)
    return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
