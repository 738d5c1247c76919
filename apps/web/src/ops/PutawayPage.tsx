// @jsxRuntime automatic
/**
 * Put away on a phone: the open putaway tasks, one at a time — item, quantity and the suggested bin
 * in large type; scanning a bin (the suggested one or another storage bin) confirms the task, and the
 * next task follows. Scanning an item's code first jumps to that item's task.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Card, Empty, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordData } from '../api/types.ts';
import { opsKeys, runAction, scanCode, useRecords, useTitles } from './api.ts';
import './i18n.ts';
import { ScanInput } from './ScanInput.tsx';
import { useScanFeedback } from './useScanFeedback.ts';

const OPEN = 'filter[status][eq]=open&sort=number';

export default function PutawayPage() {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const tasks = useRecords('putaway_task', OPEN);
  const items = useTitles('item');
  const bins = useTitles('location');
  const [chosen, setChosen] = useState<string | null>(null);
  const { message, setMessage, busy, fail, run } = useScanFeedback();
  const open = tasks.data ?? [];
  const task = open.find((x) => x.id === chosen) ?? open[0];

  const onScan = async (code: string) => {
    if (!task) return;
    const hit = await scanCode(code).catch(() => null);
    if (hit && hit.entity !== 'location') {
      const other = open.find((x) => x.item === hit.item && (hit.entity !== 'lot' || x.lot === hit.id));
      if (other) {
        setChosen(other.id as string);
        setMessage({ type: 'info', text: t('putaway.scanBin') });
      } else fail(t('common.wrongCode', { code }));
      return;
    }
    await run(async () => {
      await runAction('putaway_task', task.id as string, 'confirm', { location: code });
      setMessage({ type: 'success', text: t('putaway.done', { bin: code }) });
      setChosen(null);
      await client.invalidateQueries({ queryKey: opsKeys.records('putaway_task', OPEN) });
    });
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Typography.Title level={4}>{t('putaway.title')}</Typography.Title>
      {task ? (
        <>
          <Card size="small">
            <Typography.Text type="secondary">{t('putaway.suggested')}</Typography.Text>
            <div data-testid="suggested-bin" style={{ fontSize: 44, fontWeight: 700 }}>
              {bins.get(task.suggested_location as string) ?? '—'}
            </div>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {items.get(task.item as string) ?? ''}
            </Typography.Title>
            <div style={{ fontSize: 24 }}>
              {t('common.quantity')}: {String(task.quantity)}
            </div>
          </Card>
          <ScanInput
            prompt={t('putaway.scanBin')}
            onScan={(code) => void onScan(code)}
            message={message}
            disabled={busy}
          />
        </>
      ) : (
        <Empty description={tasks.isLoading ? '…' : t('putaway.empty')}>
          {message && <Typography.Text>{message.text}</Typography.Text>}
        </Empty>
      )}
      <List
        size="small"
        dataSource={open}
        renderItem={(x: RecordData) => (
          <List.Item
            onClick={() => setChosen(x.id as string)}
            style={{ cursor: 'pointer', fontWeight: x.id === task?.id ? 600 : 400 }}
          >
            {String(x.number ?? '')} · {items.get(x.item as string) ?? ''} × {String(x.quantity)} →{' '}
            {bins.get(x.suggested_location as string) ?? '—'}
          </List.Item>
        )}
      />
    </Space>
  );
}
