/** Validates the data an operator submits on completion against the service's form (pure). */
import { type FieldError, isBusinessDate, isDecimalText, isInstant } from '@tenon/core';
import type { ServiceFormField } from '../types.ts';

export type FormResult = { value: Record<string, unknown> } | { errors: FieldError[] };

function checkValue(field: ServiceFormField, value: unknown): FieldError | null {
  const fail = (code: string, message: string): FieldError => ({ field: field.name, code, message });
  switch (field.kind) {
    case 'string':
    case 'text':
      return typeof value === 'string' ? null : fail('type', 'expected a string');
    case 'integer':
      return Number.isSafeInteger(value) ? null : fail('type', 'expected an integer');
    case 'decimal':
      return isDecimalText(value) ? null : fail('type', 'expected a decimal as a string, e.g. "12.50"');
    case 'boolean':
      return typeof value === 'boolean' ? null : fail('type', 'expected true or false');
    case 'date':
      return isBusinessDate(value) ? null : fail('type', 'expected a date YYYY-MM-DD');
    case 'datetime':
      return isInstant(value) ? null : fail('type', 'expected an instant with an offset');
    case 'select':
      return typeof value === 'string' && (field.options ?? []).some((o) => o.value === value)
        ? null
        : fail('option', `expected one of ${(field.options ?? []).map((o) => o.value).join(', ')}`);
  }
}

export function validateServiceForm(fields: readonly ServiceFormField[], data: unknown): FormResult {
  if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    return { errors: [{ field: '', code: 'type', message: 'form data must be an object' }] };
  }
  const input = (data ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = {};
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(input)) {
    if (!known.has(name)) errors.push({ field: name, code: 'unknown', message: 'not a field of the form' });
  }
  for (const field of fields) {
    const v = input[field.name];
    if (v === undefined || v === null || v === '') {
      if (field.required) errors.push({ field: field.name, code: 'required', message: 'required' });
      continue;
    }
    const error = checkValue(field, v);
    if (error) errors.push(error);
    else value[field.name] = v;
  }
  return errors.length > 0 ? { errors } : { value };
}
