// @jsxRuntime automatic
/**
 * A cycle count on a phone: open (or start) a count session, scan a bin, scan an item (or its lot or
 * serial label), type the counted quantity, next; scanning another bin moves on to it. Each line is
 * saved as it is counted. Submit freezes the book quantity on the server; the counter never sees it
 * (blind count).
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, List, Result, Select, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { createRecord, getRecord, updateRecord } from '../api/records.ts';
import type { RecordData } from '../api/types.ts';
import {
  binOfWarehouse,
  opsKeys,
  runAction,
  type ScanHit,
  scanCode,
  useRecord,
  useRecords,
  useTitles,
} from './api.ts';
import './i18n.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { isDecimal } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

export default function CountPage() {
  const [params, setParams] = useSearchParams();
  const session = params.get('session');
  return session ? (
    <CountSession id={session} onBack={() => setParams({})} />
  ) : (
    <ChooseSession onOpen={(id) => setParams({ session: id })} />
  );
}

function ChooseSession({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation('ops');
  const { message } = App.useApp();
  const warehouses = useRecords('warehouse', 'sort=code');
  const [warehouse, setWarehouse] = useState<string | undefined>();
  const start = async () => {
    try {
      const created = await createRecord('count_session', { warehouse });
      onOpen(created.id as string);
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <DocumentPicker
      entity="count_session"
      query="filter[status][eq]=counting&sort=-number"
      title={t('count.choose')}
      describe={(s) => String(s.posting_date ?? '')}
      onOpen={onOpen}
    >
      <Space.Compact style={{ width: '100%' }}>
        <Select
          style={{ flex: 1 }}
          placeholder={t('common.warehouse')}
          aria-label={t('common.warehouse')}
          value={warehouse}
          onChange={setWarehouse}
          options={(warehouses.data ?? []).map((w) => ({
            value: w.id as string,
            label: `${w.code} ${w.name}`,
          }))}
        />
        <Button type="primary" disabled={!warehouse} onClick={() => void start()}>
          {t('count.start')}
        </Button>
      </Space.Compact>
    </DocumentPicker>
  );
}

type Counted = { bin: ScanHit & { code: string }; item?: ScanHit & { code: string } };

function CountSession({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const session = useRecord('count_session', id);
  const items = useTitles('item');
  const bins = useTitles('location');
  const [state, setState] = useState<Counted | null>(null);
  const [qty, setQty] = useState('');
  const { message, setMessage, busy, fail, run } = useScanFeedback();
  const refresh = () => client.invalidateQueries({ queryKey: opsKeys.record('count_session', id) });

  const onScan = async (code: string) => {
    const hit = await scanCode(code).catch(() => null);
    if (!hit || hit.entity === 'location') {
      // Bin codes are unique per warehouse only: the bin is looked up in the session's warehouse.
      const bin = await binOfWarehouse(String(session.data?.warehouse ?? ''), code);
      if (bin) {
        setState({ bin: { entity: 'location', id: bin, item: null, code } });
        return setMessage({ type: 'info', text: t('count.scanItem') });
      }
      return fail(hit ? t('count.otherWarehouse', { code }) : t('common.unknownCode', { code }));
    }
    if (!state) fail(t('common.wrongCode', { code }));
    else {
      setState({ ...state, item: { ...hit, code } });
      setQty(hit.entity === 'serial_number' ? '1' : '');
      setMessage(null);
    }
  };

  const save = async () => {
    if (!state?.item || !isDecimal(qty)) return fail(t('count.counted'));
    const { item, bin } = state;
    await run(async () => {
      const current = await getRecord('count_session', id);
      const kept = ((current.lines ?? []) as RecordData[]).map((l) => ({ id: l.id }));
      await updateRecord('count_session', id, current.version as number, {
        lines: [
          ...kept,
          {
            location: bin.id,
            item: item.item,
            ...(item.entity === 'lot' ? { lot: item.id } : {}),
            ...(item.entity === 'serial_number' ? { serial: item.id } : {}),
            counted_qty: qty.trim(),
          },
        ],
      });
      setState({ bin });
      setQty('');
      setMessage({ type: 'success', text: `${items.get(item.item ?? '') ?? item.code} × ${qty}` });
      await refresh();
    });
  };

  const submit = () =>
    run(async () => {
      await runAction('count_session', id, 'submit');
      await refresh();
    });

  if (!session.data) return <Spin style={{ margin: 48 }} />;
  const lines = (session.data.lines ?? []) as RecordData[];
  const header = (
    <Space style={{ justifyContent: 'space-between', width: '100%' }}>
      <Button onClick={onBack}>{t('common.back')}</Button>
      <Typography.Text strong>{String(session.data.number)}</Typography.Text>
    </Space>
  );
  if (session.data.status !== 'counting')
    return (
      <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
        {header}
        <Result
          status="success"
          title={t('count.submitted')}
          subTitle={t('count.lines', { n: lines.length })}
        />
      </Space>
    );
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      {header}
      <Tag color="blue">{t('count.blind')}</Tag>
      <div data-testid="count-bin" style={{ fontSize: 32, fontWeight: 700 }}>
        {state ? (bins.get(state.bin.id) ?? state.bin.code) : '—'}
      </div>
      {state?.item ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Title level={5}>{items.get(state.item.item ?? '') ?? state.item.code}</Typography.Title>
          <Input
            size="large"
            autoFocus
            inputMode="decimal"
            addonBefore={t('count.counted')}
            aria-label={t('count.counted')}
            value={qty}
            status={qty && !isDecimal(qty) ? 'error' : undefined}
            onChange={(e) => setQty(e.target.value)}
            onPressEnter={() => void save()}
          />
          <Button type="primary" size="large" block loading={busy} onClick={() => void save()}>
            {t('count.next')}
          </Button>
        </Space>
      ) : (
        <ScanInput
          prompt={state ? t('count.scanItem') : t('count.scanBin')}
          onScan={(code) => void onScan(code)}
          message={message}
          disabled={busy}
        />
      )}
      <List
        size="small"
        header={t('count.lines', { n: lines.length })}
        dataSource={lines}
        renderItem={(l: RecordData) => (
          <List.Item>
            {bins.get(l.location as string) ?? ''} · {items.get(l.item as string) ?? ''} ×{' '}
            {String(l.counted_qty)}
          </List.Item>
        )}
      />
      <Button block size="large" disabled={lines.length === 0 || busy} onClick={() => void submit()}>
        {t('count.submit')}
      </Button>
    </Space>
  );
}
