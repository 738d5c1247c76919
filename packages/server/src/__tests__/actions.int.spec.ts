import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, defineErrors } from '@tenon/core';
import { updateRecordIn } from '@tenon/design';
import { createTestServer, type TestServer } from '../testing.ts';

const Errors = defineErrors({
  TEST_ORDER_NOT_DRAFT: { status: 409, 'zh-CN': '只有草稿可以确认', en: 'Only a draft can be confirmed' },
});

describe('declared actions own their status fields', () => {
  let s: TestServer;
  let id: string;
  before(async () => {
    s = await createTestServer();
    await s.define([
      {
        name: 'purchase_order',
        label: { 'zh-CN': '采购订单', en: 'Purchase order' },
        actions: [{ name: 'confirm', label: { 'zh-CN': '确认', en: 'Confirm' } }],
        fields: [
          { name: 'supplier_name', label: { en: 'Supplier' }, kind: 'string', required: true },
          {
            name: 'status',
            label: { 'zh-CN': '状态', en: 'Status' },
            kind: 'select',
            default: 'draft',
            actionOwned: true,
            options: [
              { value: 'draft', label: { en: 'Draft' } },
              { value: 'confirmed', label: { en: 'Confirmed' } },
            ],
          },
        ],
      },
    ]);
    s.deps.actions.register('purchase_order', 'confirm', async ({ tx, ctx, entity, record }) => {
      if (record.status !== 'draft') throw new AppError(Errors.TEST_ORDER_NOT_DRAFT);
      return updateRecordIn(tx, ctx, entity, {
        id: record.id as string,
        patch: { status: 'confirmed' },
        expectedVersion: null,
      });
    });
    id = (await s.call('POST', '/api/v1/purchase_order', { supplier_name: 'ACME' })).body.data.id;
  });
  after(() => s.close());

  it('plain PATCH cannot write the status; the action can, once', async () => {
    const patched = await s.call('PATCH', `/api/v1/purchase_order/${id}`, { status: 'confirmed' });
    assert.equal(patched.status, 422);
    assert.equal(patched.body.error.details[0].code, 'read_only');
    const confirmed = await s.call('POST', `/api/v1/purchase_order/${id}/confirm`);
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.data.status, 'confirmed');
    const again = await s.call('POST', `/api/v1/purchase_order/${id}/confirm`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'TEST_ORDER_NOT_DRAFT');
    const history = await s.call('GET', `/api/v1/purchase_order/${id}/history`);
    assert.deepEqual(
      history.body.data.items.map((e: { action: string }) => e.action),
      ['action:confirm', 'create'],
    );
  });
});
