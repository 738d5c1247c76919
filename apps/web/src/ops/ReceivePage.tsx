// @jsxRuntime automatic
/**
 * Receiving on a phone: choose a submitted ASN or a transfer in transit, scan an item (or lot) code,
 * enter the good and the damaged quantity (and the supplier lot and expiry for lot-tracked items of an
 * ASN), receive. A serial-tracked item asks for one scanned serial per unit instead of a quantity.
 * When orders wait for the scanned item (back-ordered), the screen offers to cross-dock it to the
 * outbound dock. Each line shows what was expected and received, with over or under receipt marked.
 * Putaway tasks follow on the server; the putaway screen takes them.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { RecordData } from '../api/types.ts';
import {
  crossDockDemand,
  opsKeys,
  recordOf,
  runAction,
  scanCode,
  useRecord,
  useTitles,
  type Waiting,
} from './api.ts';
import './i18n.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { SerialCapture } from './SerialCapture.tsx';
import { StatusTag } from './StatusTag.tsx';
import { isDecimal, sumMinus } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

type Doc = 'asn' | 'transfer_order';

export default function ReceivePage() {
  const { t } = useTranslation('ops');
  const [params, setParams] = useSearchParams();
  const asn = params.get('asn');
  const transfer = params.get('transfer');
  if (asn) return <ReceiveDoc entity="asn" id={asn} onBack={() => setParams({})} />;
  if (transfer) return <ReceiveDoc entity="transfer_order" id={transfer} onBack={() => setParams({})} />;
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <DocumentPicker
        entity="asn"
        query="filter[status][in]=submitted,receiving&sort=number"
        title={t('receive.choose')}
        describe={(a) => String(a.expected_date ?? '')}
        onOpen={(id) => setParams({ asn: id })}
      />
      <DocumentPicker
        entity="transfer_order"
        query="filter[status][in]=shipped,receiving&sort=number"
        title={t('receive.transfers')}
        describe={(a) => String(a.expected_date ?? '')}
        onOpen={(id) => setParams({ transfer: id })}
      />
    </Space>
  );
}

/** Over / under receipt of a line, from decimal strings. */
function deviation(line: RecordData): { kind: 'over' | 'under' | null; qty: string } {
  const received = String(line.received_qty ?? '0');
  const damaged = String(line.damaged_qty ?? '0');
  if (sumMinus(received, damaged, '0') === '0') return { kind: null, qty: '0' };
  const diff = sumMinus(received, damaged, String(line.quantity ?? '0'));
  if (diff === '0') return { kind: null, qty: '0' };
  return diff.startsWith('-') ? { kind: 'under', qty: diff.slice(1) } : { kind: 'over', qty: diff };
}

type Scanned = { code: string; serial: boolean; waiting: Waiting[] };
const EMPTY = { quantity: '', damaged: '', lotNo: '', expiresOn: '' };

function ReceiveDoc({ entity, id, onBack }: { entity: Doc; id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const doc = useRecord(entity, id);
  const items = useTitles('item');
  const [scanned, setScanned] = useState<Scanned | null>(null);
  const [serials, setSerials] = useState<string[]>([]);
  const [crossDock, setCrossDock] = useState(true);
  const [form, setForm] = useState(EMPTY);
  const { message, setMessage, busy, fail, run } = useScanFeedback();

  const onScan = (code: string) =>
    run(async () => {
      const hit = await scanCode(code).catch(() => null);
      const item = hit?.item ? await recordOf('item', hit.item) : null;
      const waiting = entity === 'asn' && hit?.item ? await crossDockDemand(id, code).catch(() => []) : [];
      setSerials([]);
      setCrossDock(true);
      setScanned({ code, serial: item?.tracking === 'serial', waiting });
      setMessage(null);
    });

  const receive = async () => {
    if (!scanned) return;
    const quantity = scanned.serial ? String(serials.length) : form.quantity.trim();
    if (!isDecimal(quantity) || quantity === '0' || (form.damaged && !isDecimal(form.damaged)))
      return fail(t('common.quantity'));
    await run(async () => {
      await runAction(entity, id, 'receive', {
        code: scanned.code,
        quantity,
        ...(form.damaged ? { damaged: form.damaged.trim() } : {}),
        ...(form.lotNo ? { lotNo: form.lotNo.trim() } : {}),
        ...(form.expiresOn ? { expiresOn: form.expiresOn } : {}),
        ...(scanned.serial ? { serials } : {}),
        ...(scanned.waiting.length > 0 && crossDock ? { crossDock: true } : {}),
      });
      setMessage({ type: 'success', text: t('receive.received', { qty: quantity }) });
      setScanned(null);
      setForm(EMPTY);
      await client.invalidateQueries({ queryKey: opsKeys.record(entity, id) });
    });
  };
  if (!doc.data) return <Spin style={{ margin: 48 }} />;
  const lines = (doc.data.lines ?? []) as RecordData[];
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <Input
      size="large"
      type={type}
      inputMode={type === 'text' && key !== 'lotNo' ? 'decimal' : undefined}
      addonBefore={label}
      aria-label={label}
      value={form[key]}
      onChange={(e) => setForm({ ...form, [key]: e.target.value })}
    />
  );
  const waiting = scanned?.waiting ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Button onClick={onBack}>{t('common.back')}</Button>
        <Typography.Text strong>{String(doc.data.number)}</Typography.Text>
        <StatusTag entity={entity} value={doc.data.status} />
      </Space>
      {scanned ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Title level={5}>{scanned.code}</Typography.Title>
          {scanned.serial ? (
            <SerialCapture serials={serials} onChange={setSerials} />
          ) : (
            field('quantity', t('common.quantity'))
          )}
          {!scanned.serial && field('damaged', t('receive.damaged'))}
          {entity === 'asn' && !scanned.serial && field('lotNo', t('receive.lotNo'))}
          {entity === 'asn' && !scanned.serial && field('expiresOn', t('receive.expiresOn'), 'date')}
          {waiting.length > 0 && (
            <Alert
              type="warning"
              data-testid="cross-dock"
              message={t('receive.waiting', {
                orders: waiting.map((w) => `${w.number} (${w.quantity})`).join(', '),
              })}
              description={
                <Checkbox checked={crossDock} onChange={(e) => setCrossDock(e.target.checked)}>
                  {t('receive.crossDock')}
                </Checkbox>
              }
            />
          )}
          <Button type="primary" size="large" block loading={busy} onClick={() => void receive()}>
            {t('receive.receive')}
          </Button>
          <Button block onClick={() => setScanned(null)}>
            {t('common.back')}
          </Button>
          {message && <Alert type={message.type} showIcon message={message.text} role="status" />}
        </Space>
      ) : (
        <ScanInput
          prompt={t('receive.scanItem')}
          onScan={(c) => void onScan(c)}
          message={message}
          disabled={busy}
        />
      )}
      <List
        size="small"
        dataSource={lines}
        renderItem={(l: RecordData) => {
          const d = deviation(l);
          return (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Typography.Text>{items.get(l.item as string) ?? ''}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('receive.expected', { qty: l.quantity, received: l.received_qty })}
                  {l.damaged_qty && l.damaged_qty !== '0'
                    ? ` · ${t('receive.damaged')} ${l.damaged_qty}`
                    : ''}
                </Typography.Text>
              </Space>
              {d.kind && (
                <Tag color={d.kind === 'over' ? 'orange' : 'red'}>
                  {t(`receive.${d.kind}`, { qty: d.qty })}
                </Tag>
              )}
            </List.Item>
          );
        }}
      />
      <Link to="/ops/putaway">{t('menu.putaway')}</Link>
    </Space>
  );
}
