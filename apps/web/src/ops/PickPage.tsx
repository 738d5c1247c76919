// @jsxRuntime automatic
/**
 * Scan to pick, phone first: choose a released pick list, then one stop at a time in route order —
 * the next bin in large type, the item and the quantity. Scanning the bin and then the item confirms
 * the pick (`confirm_pick`); a wrong code is refused on the spot with a beep. A short pick takes the
 * quantity actually found. The progress bar counts the stops done.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Progress, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { RecordData } from '../api/types.ts';
import { type NextPick, nextPick, opsKeys, runAction, scanCode, useRecord, useRecords } from './api.ts';
import './i18n.ts';
import { DocumentPicker } from './DocumentPicker.tsx';
import { ScanInput } from './ScanInput.tsx';
import { isDecimal, plainQuantity, sameCode } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

export default function PickPage() {
  const [params, setParams] = useSearchParams();
  const list = params.get('list');
  return list ? (
    <PickList id={list} onBack={() => setParams({})} />
  ) : (
    <ChooseList onOpen={(id) => setParams({ list: id })} />
  );
}

const QUERY = 'filter[status][in]=open,picking&sort=number';

function ChooseList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation('ops');
  const lists = useRecords('pick_list', QUERY);
  const { message, fail } = useScanFeedback();
  const open = (code: string) => {
    const hit = lists.data?.find((l) => l.id === code || sameCode(String(l.number ?? ''), code));
    if (hit) onOpen(hit.id as string);
    else fail(t('common.unknownCode', { code }));
  };
  return (
    <DocumentPicker
      entity="pick_list"
      query={QUERY}
      title={t('pick.choose')}
      describe={(l) =>
        l.route_length ? t('pick.route', { route: l.route_length, naive: l.naive_length ?? '-' }) : undefined
      }
      onOpen={onOpen}
    >
      <ScanInput prompt={t('pick.openById')} onScan={open} message={message} />
    </DocumentPicker>
  );
}

/** Stops of a list (distinct sequences) and how many are no longer open. */
function progressOf(record: RecordData | undefined): { total: number; done: number } {
  const lines = (record?.lines ?? []) as RecordData[];
  const all = new Set(lines.map((l) => l.sequence));
  const open = new Set(lines.filter((l) => l.outcome === 'open').map((l) => l.sequence));
  return { total: all.size, done: all.size - open.size };
}

function PickList({ id, onBack }: { id: string; onBack: () => void }) {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const record = useRecord('pick_list', id);
  const [next, setNext] = useState<NextPick | undefined>(undefined);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [binOk, setBinOk] = useState(false);
  const [short, setShort] = useState<string | null>(null);
  const { message, setMessage, busy, fail, run } = useScanFeedback();

  const reload = async () => {
    setNext(await nextPick(id));
    setBinOk(false);
    setShort(null);
    await client.invalidateQueries({ queryKey: opsKeys.record('pick_list', id) });
  };
  if (loaded !== id) {
    setLoaded(id);
    void nextPick(id).then(setNext);
  }
  const confirm = async (code: string, stop: NonNullable<NextPick>) => {
    if (short !== null && !isDecimal(short)) return fail(t('pick.shortQty'));
    const quantity = short ?? plainQuantity(stop.quantity);
    await run(async () => {
      await runAction('pick_list', id, 'confirm_pick', { location: stop.bin, code, quantity });
      setMessage({ type: 'success', text: t('pick.confirmed', { item: stop.itemName, qty: quantity }) });
      await reload();
    });
  };

  const onScan = async (code: string) => {
    if (!next) return;
    if (!binOk) {
      if (!sameCode(next.bin, code)) return fail(t('common.wrongCode', { code }));
      setBinOk(true);
      setMessage({ type: 'info', text: t('pick.scanItem', { item: next.itemCode }) });
      return;
    }
    if (sameCode(next.barcode ?? '', code) || sameCode(next.itemCode, code)) return confirm(code, next);
    // A lot or serial label also names the item: ask the server what the code is.
    const hit = await scanCode(code).catch(() => null);
    if (hit?.item === next.item) return confirm(code, next);
    fail(t(hit ? 'common.wrongCode' : 'common.unknownCode', { code }));
  };

  if (next === undefined || record.isLoading) return <Spin style={{ margin: 48 }} />;
  const { total, done } = progressOf(record.data);
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Button onClick={onBack}>{t('common.back')}</Button>
        <Typography.Text strong>{String(record.data?.number ?? '')}</Typography.Text>
      </Space>
      <Progress
        percent={total ? Math.round((done / total) * 100) : 100}
        format={() => `${done}/${total}`}
        aria-label={t('pick.progress')}
        data-testid="pick-progress"
      />
      {next === null ? (
        <>
          {message && <Alert type={message.type} showIcon message={message.text} role="status" />}
          <Result status="success" title={t('pick.finished')} data-testid="pick-finished" />
        </>
      ) : (
        <>
          <Card size="small" className="tenon-next-pick">
            <Typography.Text type="secondary">{t('pick.nextBin')}</Typography.Text>
            <div data-testid="next-bin" style={{ fontSize: 44, fontWeight: 700, lineHeight: 1.2 }}>
              {binOk ? '✓ ' : ''}
              {next.bin}
            </div>
            <Typography.Title level={5} style={{ margin: '8px 0 0' }} data-testid="next-item">
              {next.itemCode} · {next.itemName}
            </Typography.Title>
            <div data-testid="next-qty" style={{ fontSize: 28, fontWeight: 600 }}>
              {t('pick.toPick', { qty: plainQuantity(next.quantity) })}
            </div>
          </Card>
          <ScanInput
            prompt={
              binOk ? t('pick.scanItem', { item: next.itemCode }) : t('pick.scanBin', { bin: next.bin })
            }
            onScan={(code) => void onScan(code)}
            message={message}
            disabled={busy}
          />
          {short === null ? (
            <Button block onClick={() => setShort('')}>
              {t('pick.short')}
            </Button>
          ) : (
            <Input
              size="large"
              inputMode="decimal"
              addonBefore={t('pick.shortQty')}
              aria-label={t('pick.shortQty')}
              value={short}
              status={short && !isDecimal(short) ? 'error' : undefined}
              onChange={(e) => setShort(e.target.value)}
            />
          )}
        </>
      )}
    </Space>
  );
}
