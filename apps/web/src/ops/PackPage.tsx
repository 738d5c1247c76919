// @jsxRuntime automatic
/**
 * Pack and ship on a phone: a picked delivery order; scan each item into the current carton (its
 * picked quantity not yet packed goes in), weigh and close the carton, finish packing (`pack`); then
 * the carrier and tracking number (`ship`), with the packing list and delivery note as PDF.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, List, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { rawApi } from '../api/client.ts';
import type { RecordData } from '../api/types.ts';
import './i18n.ts';
import { opsKeys, runAction, scanCode, useRecord, useRecords, useTitles } from './api.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { StatusTag } from './StatusTag.tsx';
import { isDecimal, plainQuantity, sameCode, sumMinus } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

export default function PackPage() {
  const { t } = useTranslation('ops');
  const [params, setParams] = useSearchParams();
  const order = params.get('order');
  if (order) return <PackOrder id={order} onBack={() => setParams({})} />;
  return (
    <DocumentPicker
      entity="delivery_order"
      query="filter[status][in]=picked,packed&sort=number"
      title={t('pack.choose')}
      describe={(o) => String(o.customer ?? '')}
      onOpen={(id) => setParams({ order: id })}
    />
  );
}

type Carton = { weight: string; contents: Record<string, string> };

/** Picked quantity per item of the order, less what the cartons already hold. */
function leftToPack(lines: RecordData[], cartons: Carton[]): Map<string, string> {
  const left = new Map<string, string>();
  for (const l of lines)
    left.set(l.item as string, sumMinus(left.get(l.item as string) ?? '0', String(l.picked_qty ?? '0'), '0'));
  for (const c of cartons)
    for (const [item, q] of Object.entries(c.contents))
      left.set(item, sumMinus(left.get(item) ?? '0', '0', q));
  return left;
}

async function openPdf(path: string): Promise<void> {
  const blob = await (await rawApi(path)).blob();
  window.open(URL.createObjectURL(blob), '_blank');
}

function PackOrder({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const order = useRecord('delivery_order', id);
  const items = useRecords('item', 'sort=code');
  const titles = useTitles('item');
  const { message, setMessage, busy, fail, run } = useScanFeedback();
  const [cartons, setCartons] = useState<Carton[]>([{ weight: '', contents: {} }]);
  const [ship, setShip] = useState({ carrier: '', tracking: '' });
  if (!order.data) return <Spin style={{ margin: 48 }} />;
  const lines = (order.data.lines ?? []) as RecordData[];
  const left = leftToPack(lines, cartons);
  const current = cartons[cartons.length - 1]!;
  const refresh = () => client.invalidateQueries({ queryKey: opsKeys.record('delivery_order', id) });

  const onScan = async (code: string) => {
    const known = items.data?.find(
      (i) => sameCode(String(i.barcode ?? ''), code) || sameCode(String(i.code), code),
    );
    const item = (known?.id as string | undefined) ?? (await scanCode(code).catch(() => null))?.item ?? null;
    if (!item || !left.has(item)) return fail(t('pack.notInOrder', { code }));
    const qty = left.get(item)!;
    if (qty === '0' || qty.startsWith('-'))
      return fail(t('pack.tooMany', { item: titles.get(item) ?? code }));
    const contents = { ...current.contents, [item]: sumMinus(current.contents[item] ?? '0', qty, '0') };
    setCartons([...cartons.slice(0, -1), { ...current, contents }]);
    setMessage({ type: 'success', text: `${titles.get(item) ?? code} × ${plainQuantity(qty)}` });
  };
  const pack = () =>
    run(async () => {
      const full = cartons.filter((c) => Object.keys(c.contents).length > 0);
      if (full.some((c) => !isDecimal(c.weight))) return fail(t('pack.weight'));
      await runAction('delivery_order', id, 'pack', {
        cartons: full.map((c) => ({
          weight: c.weight.trim(),
          contents: Object.entries(c.contents).map(([item, quantity]) => ({ item, quantity })),
        })),
      });
      setMessage({ type: 'success', text: t('pack.packed') });
      await refresh();
    });
  const doShip = () =>
    run(async () => {
      await runAction('delivery_order', id, 'ship', {
        carrier: ship.carrier || order.data?.carrier,
        trackingNumber: ship.tracking,
      });
      await refresh();
    });

  const status = order.data.status;
  const pdfs = (
    <Space wrap>
      <Button onClick={() => void openPdf(`/api/v1/wms/delivery_order/${id}/packing-list.pdf`)}>
        {t('pack.packingList')}
      </Button>
      <Button onClick={() => void openPdf(`/api/v1/wms/delivery_order/${id}/delivery-note.pdf`)}>
        {t('pack.deliveryNote')}
      </Button>
    </Space>
  );
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Button onClick={onBack}>{t('common.back')}</Button>
        <Typography.Text strong>{String(order.data.number)}</Typography.Text>
        <StatusTag entity="delivery_order" value={status} />
      </Space>
      {status === 'picked' && (
        <>
          <List
            size="small"
            dataSource={[...left]}
            renderItem={([item, qty]) => (
              <List.Item>
                {titles.get(item) ?? item} · {t('pack.left', { qty: plainQuantity(qty) })}
              </List.Item>
            )}
          />
          <Card size="small" title={t('pack.carton', { n: cartons.length })}>
            {Object.entries(current.contents).map(([item, q]) => (
              <div key={item}>
                {titles.get(item) ?? item} × {plainQuantity(q)}
              </div>
            ))}
            <Input
              style={{ marginTop: 8 }}
              inputMode="decimal"
              addonBefore={t('pack.weight')}
              aria-label={t('pack.weight')}
              value={current.weight}
              onChange={(e) => setCartons([...cartons.slice(0, -1), { ...current, weight: e.target.value }])}
            />
          </Card>
          <ScanInput
            prompt={t('pack.scanItem')}
            onScan={(c) => void onScan(c)}
            message={message}
            disabled={busy}
          />
          <Button
            block
            disabled={Object.keys(current.contents).length === 0}
            onClick={() => setCartons([...cartons, { weight: '', contents: {} }])}
          >
            {t('pack.newCarton')}
          </Button>
          <Button type="primary" size="large" block loading={busy} onClick={() => void pack()}>
            {t('pack.pack')}
          </Button>
        </>
      )}
      {status === 'packed' && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            size="large"
            addonBefore={t('pack.carrier')}
            aria-label={t('pack.carrier')}
            placeholder={String(order.data.carrier ?? '')}
            value={ship.carrier}
            onChange={(e) => setShip({ ...ship, carrier: e.target.value })}
          />
          <Input
            size="large"
            addonBefore={t('pack.tracking')}
            aria-label={t('pack.tracking')}
            value={ship.tracking}
            onChange={(e) => setShip({ ...ship, tracking: e.target.value })}
          />
          <Button type="primary" size="large" block loading={busy} onClick={() => void doShip()}>
            {t('pack.ship')}
          </Button>
          {message?.type === 'error' && <Typography.Text type="danger">{message.text}</Typography.Text>}
          {pdfs}
        </Space>
      )}
      {status === 'shipped' && (
        <Result status="success" title={t('pack.shipped')} data-testid="pack-shipped" extra={pdfs} />
      )}
    </Space>
  );
}
