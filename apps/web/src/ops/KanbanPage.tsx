// @jsxRuntime automatic
/**
 * Kanban on a phone: scan a kanban card to ask for its refill. The signal rides the next Milk-Run
 * that visits the card's supplier (a card already signalled is refused until its refill arrives).
 * The open signals are listed below with the run that will pick them up.
 */
import { useQueryClient } from '@tanstack/react-query';
import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordData } from '../api/types.ts';
import { raiseKanban, useRecords, useTitles } from './api.ts';
import './i18n.ts';
import { ScanInput } from './ScanInput.tsx';
import { StatusTag } from './StatusTag.tsx';
import { plainQuantity } from './scan-codes.ts';
import { useScanFeedback } from './useScanFeedback.ts';

const OPEN = 'filter[status][in]=open,planned&sort=-number';

export default function KanbanPage() {
  const { t } = useTranslation('ops');
  const client = useQueryClient();
  const signals = useRecords('kanban_signal', OPEN);
  const items = useTitles('item');
  const { message, setMessage, busy, run } = useScanFeedback();
  const onScan = (code: string) =>
    run(async () => {
      const signal = await raiseKanban(code);
      setMessage({
        type: 'success',
        text: t('kanban.raised', {
          number: signal.number,
          item: items.get(signal.item as string) ?? '',
          qty: plainQuantity(String(signal.quantity)),
        }),
      });
      await client.invalidateQueries({ queryKey: ['ops', 'records', 'kanban_signal'] });
    });
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Typography.Title level={4}>{t('kanban.title')}</Typography.Title>
      <ScanInput
        prompt={t('kanban.scanCard')}
        onScan={(c) => void onScan(c)}
        message={message}
        disabled={busy}
      />
      <List
        size="small"
        header={t('kanban.open')}
        loading={signals.isLoading}
        locale={{ emptyText: t('common.none') }}
        dataSource={signals.data ?? []}
        renderItem={(k: RecordData) => (
          <List.Item extra={<StatusTag entity="kanban_signal" value={k.status} />}>
            <Space direction="vertical" size={0}>
              <Typography.Text>
                {String(k.number)} · {items.get(k.item as string) ?? ''} × {plainQuantity(String(k.quantity))}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t('kanban.due', { date: k.due_date })} {k.milk_run ? <Tag>{t('kanban.onRun')}</Tag> : null}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Space>
  );
}
