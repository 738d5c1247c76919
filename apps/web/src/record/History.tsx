// @jsxRuntime automatic
/** The record's audit trail as a timeline (newest first). */
import { useQuery } from '@tanstack/react-query';
import { Card, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { recordHistory, recordKeys } from '../api/records.ts';
import { formatInstant } from '../fields/time-zone.ts';

type Entry = {
  action?: string;
  at?: string;
  createdAt?: string;
  username?: string;
  userId?: string;
  changes?: { after?: Record<string, unknown> | null } | null;
};

export function History({ entity, id }: { entity: string; id: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: recordKeys.history(entity, id),
    queryFn: () => recordHistory(entity, id),
  });
  const items = ((history.data?.items ?? []) as Entry[]).slice().reverse();
  return (
    <Card title={t('form.history')} size="small">
      <Timeline
        items={items.map((e, i) => {
          const at = e.at ?? e.createdAt;
          const fields = Object.keys(e.changes?.after ?? {});
          return {
            key: i,
            content: (
              <span>
                <Typography.Text strong>{e.action}</Typography.Text>{' '}
                {at ? formatInstant(at, i18n.language) : ''} {e.username ?? ''}{' '}
                {fields.length ? (
                  <Typography.Text type="secondary">{fields.join(', ')}</Typography.Text>
                ) : null}
              </span>
            ),
          };
        })}
      />
    </Card>
  );
}
