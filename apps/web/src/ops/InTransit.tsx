// @jsxRuntime automatic
/**
 * Stock on the road: every line of a shipped transfer still in transit (the company's in-transit
 * warehouse holds these units), with where it comes from and goes to.
 */
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useInTransit, useTitles } from './api.ts';
import './i18n.ts';
import { plainQuantity } from './scan-codes.ts';

export function InTransit() {
  const { t } = useTranslation('ops');
  const rows = useInTransit();
  const items = useTitles('item');
  const warehouses = useTitles('warehouse');
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.transferOrder}|${r.item}|${r.lot ?? ''}`}
      loading={rows.isLoading}
      dataSource={rows.data ?? []}
      pagination={false}
      scroll={{ x: true }}
      locale={{ emptyText: t('common.none') }}
      columns={[
        { title: t('stock.transfer'), dataIndex: 'number' },
        { title: t('stock.from'), render: (_, r) => warehouses.get(r.fromWarehouse) ?? '' },
        { title: t('stock.to'), render: (_, r) => warehouses.get(r.toWarehouse) ?? '' },
        { title: t('common.item'), render: (_, r) => items.get(r.item) ?? '' },
        {
          title: t('common.quantity'),
          align: 'right',
          render: (_, r) => <span data-testid="in-transit-qty">{plainQuantity(r.quantity)}</span>,
        },
        { title: t('stock.expected'), dataIndex: 'expectedDate' },
      ]}
    />
  );
}
