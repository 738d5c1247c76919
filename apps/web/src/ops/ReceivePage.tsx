// @jsxRuntime automatic
/**
 * Receiving by ASN on a phone: choose a submitted ASN, scan an item (or lot) code, enter the good and
 * the damaged quantity (and the supplier lot and expiry for lot-tracked items), receive. Each line
 * shows what was expected and received, with over or under receipt marked. Putaway tasks follow on
 * the server; the putaway screen takes them.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { RecordData } from '../api/types.ts';
import { opsKeys, runAction, useRecord, useTitles } from './api.ts';
import './i18n.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { StatusTag } from './StatusTag.tsx';
import { isDecimal, sumMinus } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

export default function ReceivePage() {
  const { t } = useTranslation('ops');
  const [params, setParams] = useSearchParams();
  const asn = params.get('asn');
  if (asn) return <ReceiveAsn id={asn} onBack={() => setParams({})} />;
  return (
    <DocumentPicker
      entity="asn"
      query="filter[status][in]=submitted,receiving&sort=number"
      title={t('receive.choose')}
      describe={(a) => String(a.expected_date ?? '')}
      onOpen={(id) => setParams({ asn: id })}
    />
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

function ReceiveAsn({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const asn = useRecord('asn', id);
  const items = useTitles('item');
  const [code, setCode] = useState<string | null>(null);
  const [form, setForm] = useState({ quantity: '', damaged: '', lotNo: '', expiresOn: '' });
  const { message, setMessage, busy, fail, run } = useScanFeedback();
  const receive = async () => {
    if (!code || !isDecimal(form.quantity) || (form.damaged && !isDecimal(form.damaged)))
      return fail(t('common.quantity'));
    await run(async () => {
      await runAction('asn', id, 'receive', {
        code,
        quantity: form.quantity.trim(),
        ...(form.damaged ? { damaged: form.damaged.trim() } : {}),
        ...(form.lotNo ? { lotNo: form.lotNo.trim() } : {}),
        ...(form.expiresOn ? { expiresOn: form.expiresOn } : {}),
      });
      setMessage({ type: 'success', text: t('receive.received', { qty: form.quantity }) });
      setCode(null);
      setForm({ quantity: '', damaged: '', lotNo: '', expiresOn: '' });
      await client.invalidateQueries({ queryKey: opsKeys.record('asn', id) });
    });
  };
  if (!asn.data) return <Spin style={{ margin: 48 }} />;
  const lines = (asn.data.lines ?? []) as RecordData[];
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
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Button onClick={onBack}>{t('common.back')}</Button>
        <Typography.Text strong>{String(asn.data.number)}</Typography.Text>
        <StatusTag entity="asn" value={asn.data.status} />
      </Space>
      {code ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Title level={5}>{code}</Typography.Title>
          {field('quantity', t('common.quantity'))}
          {field('damaged', t('receive.damaged'))}
          {field('lotNo', t('receive.lotNo'))}
          {field('expiresOn', t('receive.expiresOn'), 'date')}
          <Button type="primary" size="large" block loading={busy} onClick={() => void receive()}>
            {t('receive.receive')}
          </Button>
          <Button block onClick={() => setCode(null)}>
            {t('common.back')}
          </Button>
        </Space>
      ) : (
        <ScanInput prompt={t('receive.scanItem')} onScan={setCode} message={message} disabled={busy} />
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
