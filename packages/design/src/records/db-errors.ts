/** PostgreSQL constraint errors as coded 4xx errors with the offending fields. */
import { AppError, CoreErrors, type FieldError, validationError } from '@tenon/core';
import type { CompiledEntity } from '../registry.ts';

type PgError = { code?: string; constraint?: string; column?: string; table?: string; detail?: string };

const pgError = (err: unknown): PgError | null =>
  typeof err === 'object' && err !== null && typeof (err as PgError).code === 'string'
    ? (err as PgError)
    : null;

export function translateWriteError(
  err: unknown,
  entity: CompiledEntity,
  operation: 'write' | 'delete',
): unknown {
  const e = pgError(err);
  if (!e || err instanceof AppError) return err;
  switch (e.code) {
    case '23505': {
      const index = entity.table.indexes.find((i) => i.name === e.constraint);
      const fields = index?.columns ?? [];
      return new AppError(
        CoreErrors.UNIQUE_VIOLATION,
        { fields: fields.join(', ') || e.constraint },
        fields.map((f) => ({ field: f, code: 'unique', message: 'already used by another record' })),
      );
    }
    // 23001: an ON DELETE RESTRICT reference (what PostgreSQL 17 reports; older servers say 23503).
    case '23001':
    case '23503': {
      if (operation === 'delete') return new AppError(CoreErrors.RECORD_REFERENCED);
      const field =
        e.constraint?.startsWith(`fk_${entity.def.name}_`) === true
          ? e.constraint.slice(`fk_${entity.def.name}_`.length)
          : (entity.multiLinkFields.find((f) => e.table?.endsWith(`__${f.name}`))?.name ?? '');
      return new AppError(CoreErrors.REFERENCE_NOT_FOUND, {}, [
        { field, code: 'reference_not_found', message: 'the referenced record does not exist' },
      ]);
    }
    case '23502':
      return validationError([{ field: e.column ?? '', code: 'required', message: 'is required' }]);
    case '22003':
    case '22001':
    case '22007':
    case '22008':
    case '22P02': {
      const details: FieldError[] = [
        { field: e.column ?? '', code: 'invalid', message: 'value out of range or malformed' },
      ];
      return validationError(details);
    }
    case '23514':
      return new AppError(CoreErrors.CONSTRAINT_VIOLATION, { reason: e.constraint ?? 'check' });
    default:
      return err;
  }
}
