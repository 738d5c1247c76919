import type { ExprType, ExprVariable } from './expressions/cel.ts';
import type { FieldDef } from './types.ts';

/** How a field's value is seen by CEL expressions (formulas, rules, row conditions). */
export function exprTypeOf(field: FieldDef): ExprType {
  switch (field.kind) {
    case 'integer':
      return 'int';
    case 'decimal':
    case 'money':
    case 'quantity':
      return 'decimal';
    case 'boolean':
      return 'bool';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp';
    case 'json':
      return 'dyn';
    case 'children':
    case 'multi_link':
      return 'list';
    case 'formula':
      switch (field.resultKind ?? 'string') {
        case 'decimal':
          return 'decimal';
        case 'integer':
          return 'int';
        case 'boolean':
          return 'bool';
        case 'date':
          return 'date';
        default:
          return 'string';
      }
    default:
      return 'string';
  }
}

export function exprVariablesOf(fields: FieldDef[]): ExprVariable[] {
  return fields.map((f) => ({ name: f.name, type: exprTypeOf(f) }));
}
