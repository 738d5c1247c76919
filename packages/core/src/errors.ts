/**
 * Coded application errors. Every error a user can see is declared once with its HTTP status and
 * a message in zh-CN and English; one handler in the server renders it as the envelope.
 */
export type Locale = 'zh-CN' | 'en';

export type FieldError = {
  /** Dotted path of the offending field, e.g. `lines.2.quantity`; empty for the whole record. */
  field: string;
  /** Stable machine code, e.g. `required`, `too_long`, `pattern`. */
  code: string;
  message: string;
};

export type ErrorSpec = {
  status: number;
  'zh-CN': string;
  en: string;
};

const registry = new Map<string, ErrorSpec>();

/** Declares a module's errors once; returns the same map typed by code. */
export function defineErrors<T extends Record<string, ErrorSpec>>(specs: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(specs)) {
    const existing = registry.get(code);
    if (existing && existing !== spec) throw new Error(`error code declared twice: ${code}`);
    registry.set(code, spec);
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

export function errorSpec(code: string): ErrorSpec | undefined {
  return registry.get(code);
}

function interpolate(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Record<string, unknown>;
  readonly details: FieldError[];

  constructor(code: string, params: Record<string, unknown> = {}, details: FieldError[] = []) {
    const spec = registry.get(code);
    if (!spec) throw new Error(`undeclared error code: ${code}`);
    super(interpolate(spec.en, params));
    this.name = 'AppError';
    this.code = code;
    this.status = spec.status;
    this.params = params;
    this.details = details;
  }

  localizedMessage(locale: Locale): string {
    const spec = registry.get(this.code)!;
    return interpolate(spec[locale], this.params);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const CoreErrors = defineErrors({
  BAD_REQUEST: { status: 400, 'zh-CN': '请求无效：{reason}', en: 'Bad request: {reason}' },
  VALIDATION_FAILED: {
    status: 422,
    'zh-CN': '数据校验失败',
    en: 'Validation failed',
  },
  NOT_FOUND: { status: 404, 'zh-CN': '找不到资源：{what}', en: 'Not found: {what}' },
  RECORD_NOT_FOUND: {
    status: 404,
    'zh-CN': '记录不存在：{entity} {id}',
    en: 'Record not found: {entity} {id}',
  },
  VERSION_CONFLICT: {
    status: 412,
    'zh-CN': '记录已被他人修改（当前版本 {current}），请刷新后重试',
    en: 'The record was changed by someone else (current version {current}); reload and try again',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    'zh-CN': '需要 If-Match 头',
    en: 'An If-Match header is required',
  },
  UNIQUE_VIOLATION: {
    status: 409,
    'zh-CN': '违反唯一约束：{fields} 已存在相同的值',
    en: 'Unique constraint violated: a record with the same {fields} already exists',
  },
  RECORD_REFERENCED: {
    status: 409,
    'zh-CN': '记录仍被其他记录引用，无法删除',
    en: 'The record is still referenced by other records and cannot be deleted',
  },
  REFERENCE_NOT_FOUND: {
    status: 422,
    'zh-CN': '引用的记录不存在',
    en: 'A referenced record does not exist',
  },
  CONSTRAINT_VIOLATION: {
    status: 409,
    'zh-CN': '数据不满足约束：{reason}',
    en: 'The data violates a constraint: {reason}',
  },
  CONCURRENCY_RETRY_EXHAUSTED: {
    status: 409,
    'zh-CN': '并发冲突，请稍后重试',
    en: 'Too many concurrent changes; please try again',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    'zh-CN': 'Idempotency-Key 已用于不同的请求内容',
    en: 'The Idempotency-Key was already used with a different request body',
  },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大', en: 'Request body too large' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误', en: 'Internal server error' },
});

/** Shorthand for a 422 with field-level details. */
export function validationError(details: FieldError[]): AppError {
  return new AppError(CoreErrors.VALIDATION_FAILED, {}, details);
}
