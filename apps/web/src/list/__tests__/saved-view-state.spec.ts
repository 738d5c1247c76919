/** A saved view's filter to and from the filter builder's rows, and bulk row errors grouped by record. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionsToFilter, filterToConditions } from '../../api/me.ts';
import type { Condition } from '../../api/records.ts';
import { groupRowErrors } from '../BulkBar.tsx';

test('the builder’s rows become an and-tree and come back unchanged', () => {
  const rows: Condition[] = [
    { field: 'title', op: 'contains', value: '大单', key: 'c1' },
    { field: 'amount', op: 'between', value: '10,20', key: 'c2' },
    { field: 'company', op: 'null', value: 'true', key: 'c3' },
  ];
  const filter = conditionsToFilter(rows);
  assert.deepEqual(filter, {
    and: [
      { field: 'title', op: 'contains', value: '大单' },
      { field: 'amount', op: 'between', value: '10,20' },
      { field: 'company', op: 'null', value: 'true' },
    ],
  });
  assert.deepEqual(
    filterToConditions(filter).map(({ field, op, value }) => ({ field, op, value })),
    rows.map(({ field, op, value }) => ({ field, op, value })),
  );
  assert.equal(conditionsToFilter([]), null);
  assert.deepEqual(filterToConditions(null), []);
});

test('a single condition and API-made values are read; or-groups have no flat form', () => {
  assert.deepEqual(
    filterToConditions({ field: 'qty', op: 'gt', value: 5 }).map((c) => [c.field, c.op, c.value]),
    [['qty', 'gt', '5']],
  );
  assert.deepEqual(
    filterToConditions({
      and: [{ field: 'a', op: 'eq', value: 'x' }, { or: [{ field: 'b', op: 'eq', value: 'y' }] }],
    }),
    [],
  );
});

test('bulk row errors are grouped by record id, field paths kept', () => {
  const a = '01900000-0000-7000-8000-00000000000a';
  const b = '01900000-0000-7000-8000-00000000000b';
  assert.deepEqual(
    groupRowErrors([
      { field: `${a}.priority`, code: 'maximum', message: 'at most 5' },
      { field: b, code: 'RECORD_NOT_FOUND', message: 'not found' },
      { field: `${a}.lines.2.qty`, code: 'required', message: 'required' },
    ]),
    [
      [
        a,
        [
          { field: 'priority', code: 'maximum', message: 'at most 5' },
          { field: 'lines.2.qty', code: 'required', message: 'required' },
        ],
      ],
      [b, [{ field: '', code: 'RECORD_NOT_FOUND', message: 'not found' }]],
    ],
  );
});
