import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromMatrix, MATRIX_ACTIONS, type Permission, toggle, toMatrix } from '../role-matrix.ts';

describe('role matrix', () => {
  it('shows plain permissions as checked cells and keeps the others as they are', () => {
    const kept: Permission = {
      entity: 'patient',
      actions: ['read'],
      where: { field: 'owner', op: 'eq', value: '$user.id' },
    };
    const matrix = toMatrix([
      { entity: 'patient', actions: ['create', 'read'] },
      { entity: 'patient', actions: ['update', 'approve'] },
      { entity: '$audit', actions: ['read'] },
      { entity: '*', actions: ['*'] },
      kept,
    ]);
    assert.deepEqual(matrix.grants, {
      patient: ['read', 'create', 'update'],
      $audit: ['read'],
      '*': ['*'],
    });
    assert.deepEqual(matrix.kept, [{ entity: 'patient', actions: ['approve'] }, kept]);
    assert.deepEqual(fromMatrix(matrix), [
      { entity: 'patient', actions: ['read', 'create', 'update'] },
      { entity: '$audit', actions: ['read'] },
      { entity: '*', actions: ['*'] },
      { entity: 'patient', actions: ['approve'] },
      kept,
    ]);
  });

  it('saves `*` alone, and nothing for a row left empty', () => {
    let matrix = toMatrix([]);
    matrix = toggle(matrix, 'patient', 'read', true);
    matrix = toggle(matrix, 'patient', '*', true);
    matrix = toggle(matrix, 'doctor', 'read', true);
    matrix = toggle(matrix, 'doctor', 'read', false);
    assert.deepEqual(fromMatrix(matrix), [{ entity: 'patient', actions: ['*'] }]);
  });

  it('grants after a round trip exactly what was granted before (property)', () => {
    const action = fc.constantFrom(...MATRIX_ACTIONS.filter((a) => a !== '*'), 'approve', 'ship');
    const permission = fc.record({
      entity: fc.constantFrom('patient', 'doctor', '$audit', '*'),
      actions: fc.uniqueArray(action, { minLength: 1, maxLength: 5 }),
    });
    const granted = (ps: Permission[]) =>
      new Set(ps.flatMap((p) => p.actions.map((a) => `${p.entity}:${a}`)));
    fc.assert(
      fc.property(fc.array(permission, { maxLength: 8 }), (ps) => {
        assert.deepEqual(granted(fromMatrix(toMatrix(ps))), granted(ps));
      }),
    );
  });
});
