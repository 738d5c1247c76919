// @jsxRuntime automatic
/**
 * Shipping a transfer between warehouses on a phone: choose a draft transfer, walk its lines (scan
 * each line's bin, then its item), then ship: the stock leaves into transit and the receiving
 * warehouse gets its receive task. The scans check the walk; the shipment posts all lines at once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, List, Result, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { RecordData } from '../api/types.ts';
import { binOfWarehouse, opsKeys, runAction, scanCode, useRecord, useTitles } from './api.ts';
import './i18n.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { plainQuantity } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

export default function TransferShipPage() {
  const { t } = useTranslation('ops');
  const [params, setParams] = useSearchParams();
  const id = params.get('transfer');
  if (id) return <ShipTransfer id={id} onBack={() => setParams({})} />;
  return (
    <DocumentPicker
      entity="transfer_order"
      query="filter[status][eq]=draft&sort=number"
      title={t('transfer.choose')}
      describe={(d) => String(d.expected_date ?? '')}
      onOpen={(doc) => setParams({ transfer: doc })}
    />
  );
}

function ShipTransfer({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const doc = useRecord('transfer_order', id);
  const items = useTitles('item');
  const bins = useTitles('location');
  const [done, setDone] = useState<string[]>([]);
  const [atBin, setAtBin] = useState(false);
  const { message, setMessage, busy, fail, run } = useScanFeedback();
  if (!doc.data) return <Spin style={{ margin: 48 }} />;
  const lines = (doc.data.lines ?? []) as RecordData[];
  const current = lines.find((l) => !done.includes(l.id as string));

  const onScan = (code: string) =>
    run(async () => {
      if (!current) return;
      if (!atBin) {
        const bin = await binOfWarehouse(String(doc.data?.from_warehouse ?? ''), code);
        if (bin !== current.from_location) return fail(t('common.wrongCode', { code }));
        setAtBin(true);
        return setMessage({ type: 'info', text: t('transfer.scanItem') });
      }
      const hit = await scanCode(code).catch(() => null);
      if (!hit || hit.item !== current.item || (hit.entity === 'lot' && hit.id !== current.lot))
        return fail(t('common.wrongCode', { code }));
      setDone([...done, current.id as string]);
      setAtBin(false);
      setMessage({
        type: 'success',
        text: `${items.get(current.item as string) ?? code} × ${plainQuantity(String(current.quantity))}`,
      });
    });

  const ship = () =>
    run(async () => {
      await runAction('transfer_order', id, 'ship');
      await client.invalidateQueries({ queryKey: opsKeys.record('transfer_order', id) });
    });

  const header = (
    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
      <Button onClick={onBack}>{t('common.back')}</Button>
      <Typography.Text strong>{String(doc.data.number)}</Typography.Text>
    </Space>
  );
  if (doc.data.status !== 'draft')
    return (
      <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
        {header}
        <Result status="success" title={t('transfer.shipped')} />
      </Space>
    );
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      {header}
      {current ? (
        <>
          <div data-testid="transfer-bin" style={{ fontSize: 32, fontWeight: 700 }}>
            {bins.get(current.from_location as string) ?? ''}
          </div>
          <Typography.Text>
            {items.get(current.item as string) ?? ''} × {plainQuantity(String(current.quantity))}
          </Typography.Text>
          <ScanInput
            prompt={atBin ? t('transfer.scanItem') : t('transfer.scanBin')}
            onScan={(c) => void onScan(c)}
            message={message}
            disabled={busy}
          />
        </>
      ) : (
        <Button type="primary" size="large" block loading={busy} onClick={() => void ship()}>
          {t('transfer.ship')}
        </Button>
      )}
      {!current && message?.type === 'error' && (
        <Alert type="error" showIcon message={message.text} role="status" />
      )}
      <List
        size="small"
        dataSource={lines}
        renderItem={(l: RecordData) => (
          <List.Item
            extra={done.includes(l.id as string) ? <Tag color="green">{t('common.done')}</Tag> : null}
          >
            {bins.get(l.from_location as string) ?? ''} · {items.get(l.item as string) ?? ''} ×{' '}
            {plainQuantity(String(l.quantity))}
          </List.Item>
        )}
      />
    </Space>
  );
}
