// @jsxRuntime automatic
/**
 * Stock on desktop and phone: the balance per item, location and lot as of a date with filters and
 * totals; the movement history of an item, lot or serial; the location tree of each warehouse built
 * from the locations' parent links; with the warehouse module, the transfers still in transit.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Input, Select, Space, Table, Tabs, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDecimal } from '../fields/decimal.ts';
import { useEntity } from '../shell/navigation-context.ts';
import { type BalanceRow, movements, opsKeys, stockBalance, useRecords, useTitles } from './api.ts';
import './i18n.ts';
import { InTransit } from './InTransit.tsx';
import { locationTree } from './location-tree.ts';
import { plainQuantity, sumMinus } from './scan-codes.ts';

type Filter = { item?: string; warehouse?: string; location?: string; lot?: string; asOf?: string };

const paramsOf = (f: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => !!e[1])).toString();

/** A searchable choice among an entity's records (by their titles), cleared to mean "any". */
function TitleSelect(props: {
  label: string;
  titles: Map<string, string>;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 170 }}
      placeholder={props.label}
      aria-label={props.label}
      value={props.value}
      onChange={props.onChange}
      options={[...props.titles].map(([value, label]) => ({ value, label }))}
    />
  );
}

export default function StockPage() {
  const { t } = useTranslation('ops');
  const canSeeTransfers = Boolean(useEntity('transfer_order'));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('stock.title')}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'balance', label: t('stock.balance'), children: <Balance /> },
          { key: 'movements', label: t('stock.movements'), children: <Movements /> },
          { key: 'tree', label: t('stock.tree'), children: <LocationTree /> },
          ...(canSeeTransfers
            ? [{ key: 'transit', label: t('stock.inTransit'), children: <InTransit /> }]
            : []),
        ]}
      />
    </Space>
  );
}

function Balance() {
  const { t } = useTranslation('ops');
  const items = useTitles('item');
  const warehouses = useTitles('warehouse');
  const locations = useTitles('location');
  const lots = useTitles('lot');
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const params = paramsOf(filter);
  const rows = useQuery({ queryKey: opsKeys.balance(params), queryFn: () => stockBalance(params) });
  const total = (rows.data ?? []).reduce(
    (acc, r) => ({
      quantity: sumMinus(acc.quantity, r.quantity, '0'),
      value: sumMinus(acc.value, r.value, '0'),
    }),
    { quantity: '0', value: '0' },
  );
  const pick = (key: keyof Filter, label: string, titles: Map<string, string>) => (
    <TitleSelect
      label={label}
      titles={titles}
      value={draft[key]}
      onChange={(v) => setDraft({ ...draft, [key]: v })}
    />
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {pick('item', t('common.item'), items)}
        {pick('warehouse', t('common.warehouse'), warehouses)}
        {pick('location', t('common.location'), locations)}
        {pick('lot', t('common.lot'), lots)}
        <Input
          type="date"
          aria-label={t('stock.asOf')}
          addonBefore={t('stock.asOf')}
          value={draft.asOf ?? ''}
          onChange={(e) => setDraft({ ...draft, asOf: e.target.value || undefined })}
        />
        <Button type="primary" onClick={() => setFilter(draft)}>
          {t('stock.search')}
        </Button>
      </Space>
      <Table<BalanceRow>
        size="small"
        scroll={{ x: true }}
        loading={rows.isLoading}
        rowKey={(r) => `${r.item}/${r.location}/${r.lot ?? ''}/${r.serial ?? ''}`}
        dataSource={rows.data ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('common.item'), dataIndex: 'item', render: (v: string) => items.get(v) ?? v },
          {
            title: t('common.location'),
            dataIndex: 'location',
            render: (v: string) => locations.get(v) ?? v,
          },
          {
            title: t('common.lot'),
            dataIndex: 'lot',
            render: (v: string | null) => (v ? (lots.get(v) ?? v) : ''),
          },
          {
            title: t('common.quantity'),
            dataIndex: 'quantity',
            align: 'right',
            render: (v: string) => formatDecimal(plainQuantity(v)),
          },
          {
            title: t('common.value'),
            dataIndex: 'value',
            align: 'right',
            render: (v: string) => formatDecimal(v, 2),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              {t('common.total')}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              <span data-testid="stock-total-qty">{formatDecimal(total.quantity)}</span>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {formatDecimal(total.value, 2)}
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </Space>
  );
}

function Movements() {
  const { t } = useTranslation('ops');
  const items = useTitles('item');
  const lots = useTitles('lot');
  const serials = useTitles('serial_number', 'serial_no');
  const locations = useTitles('location');
  const [filter, setFilter] = useState<{ item?: string; lot?: string; serial?: string }>({});
  const params = paramsOf(filter);
  const rows = useQuery({
    queryKey: opsKeys.movements(params),
    queryFn: () => movements(params),
    enabled: params !== '',
  });
  const pick = (key: 'item' | 'lot' | 'serial', label: string, titles: Map<string, string>) => (
    <TitleSelect
      label={label}
      titles={titles}
      value={filter[key]}
      onChange={(v) => setFilter({ [key]: v })}
    />
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {pick('item', t('common.item'), items)}
        {pick('lot', t('common.lot'), lots)}
        {pick('serial', t('stock.serial'), serials)}
      </Space>
      {params === '' ? (
        <Typography.Text type="secondary">{t('stock.pickItem')}</Typography.Text>
      ) : (
        <Table
          size="small"
          scroll={{ x: true }}
          loading={rows.isLoading}
          rowKey={(r) => String(r.seq)}
          dataSource={rows.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t('stock.date'), dataIndex: 'posting_date' },
            { title: t('stock.moveType'), dataIndex: 'move_type' },
            { title: t('common.item'), dataIndex: 'item_id', render: (v: string) => items.get(v) ?? v },
            {
              title: t('common.location'),
              dataIndex: 'location_id',
              render: (v: string) => locations.get(v) ?? v,
            },
            {
              title: t('common.lot'),
              dataIndex: 'lot_id',
              render: (v: string | null) => (v ? (lots.get(v) ?? v) : ''),
            },
            {
              title: t('common.quantity'),
              dataIndex: 'quantity',
              align: 'right',
              render: (v: string) => formatDecimal(plainQuantity(v)),
            },
            { title: t('stock.source'), dataIndex: 'source_type' },
          ]}
        />
      )}
    </Space>
  );
}

function LocationTree() {
  const warehouses = useRecords('warehouse', 'sort=code');
  const locations = useRecords('location', 'sort=code');
  const data = useMemo(
    () => locationTree(warehouses.data ?? [], locations.data ?? []),
    [warehouses.data, locations.data],
  );
  return <Tree showLine defaultExpandAll key={data.length} treeData={data} />;
}
