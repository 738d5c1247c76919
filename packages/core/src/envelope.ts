/** The response envelope of every API call (the fourth seed's shape). */
import type { FieldError } from './errors.ts';

export type Envelope<T> = {
  code: number;
  message: string;
  data: T;
  timestamp: string;
  traceId: string;
};

export type ErrorBody = {
  code: string;
  details: FieldError[];
};

export type ErrorEnvelope = Envelope<null> & { error: ErrorBody };

export type Page<T> = {
  items: T[];
  total: number | null;
  page: number | null;
  pageSize: number;
  nextCursor: string | null;
};

export function ok<T>(data: T, traceId: string, at: Date, message = 'success'): Envelope<T> {
  return { code: 200, message, data, timestamp: at.toISOString(), traceId };
}
