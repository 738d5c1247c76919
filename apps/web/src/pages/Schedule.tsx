// @jsxRuntime automatic
/**
 * The resource schedule: a day or week timeline of one resource type's resources, with their bookings
 * and holds (released ones faded). Refreshes live when a process changes state.
 */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Segmented, Select, Space, Spin, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { type LiveEvent, useLiveEvents } from '../api/live.ts';
import { type Label, labelOf } from '../api/types.ts';
import { formatInstant } from '../fields/time-zone.ts';
import { type Allocation, barOf, lanesOf, rangeOf, type Span, shift, ticksOf } from '../schedule/timeline.ts';

type Resource = { id: string; code: string; name: string; type: string; capacity: number; active?: boolean };
const LANE = 22;

export default function Schedule() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [span, setSpan] = useState<Span>('day');
  const [anchor, setAnchor] = useState(() => new Date());
  const [type, setType] = useState<string | null>(null);
  const range = useMemo(() => rangeOf(anchor, span), [anchor, span]);

  const resources = useQuery({
    queryKey: ['records', 'resource', 'schedule'],
    queryFn: () => api<{ items: Resource[] }>('/api/v1/resource?pageSize=200&sort=code'),
  });
  // Labels of resource types when the user may read design objects; names otherwise.
  const types = useQuery({
    queryKey: ['meta-objects', 'resource_type'],
    queryFn: () =>
      api<{ items: { name: string; definition: { label?: Label } }[] }>('/api/v1/meta/objects/resource_type'),
    retry: false,
  });
  const all = (resources.data?.items ?? []).filter((r) => r.active !== false);
  const typeNames = [...new Set(all.map((r) => r.type))].sort();
  const current = type ?? typeNames[0] ?? null;
  const shown = all.filter((r) => r.type === current);
  const typeLabel = (name: string) =>
    labelOf(types.data?.items.find((o) => o.name === name)?.definition.label, i18n.language, name);

  const params = `from=${range.from.toISOString()}&to=${range.to.toISOString()}`;
  const schedules = useQueries({
    queries: shown.map((r) => ({
      queryKey: ['schedule', r.id, params],
      queryFn: () => api<{ allocations: Allocation[] }>(`/api/v1/schedule/resources/${r.id}?${params}`),
    })),
  });
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.topic === 'process.state_changed') void client.invalidateQueries({ queryKey: ['schedule'] });
    },
    [client],
  );
  useLiveEvents(onEvent);

  const ticks = ticksOf(range, span, i18n.language);
  return (
    <Card
      title={t('schedule.title')}
      extra={
        <Space wrap>
          <Select
            aria-label={t('schedule.type')}
            style={{ minWidth: 160 }}
            value={current}
            options={typeNames.map((n) => ({ value: n, label: typeLabel(n) }))}
            onChange={setType}
          />
          <Segmented
            value={span}
            onChange={(v) => setSpan(v as Span)}
            options={[
              { value: 'day', label: t('schedule.day') },
              { value: 'week', label: t('schedule.week') },
            ]}
          />
          <Button onClick={() => setAnchor(shift(anchor, span, -1))} aria-label={t('schedule.prev')}>
            ‹
          </Button>
          <Button onClick={() => setAnchor(new Date())}>{t('schedule.today')}</Button>
          <Button onClick={() => setAnchor(shift(anchor, span, 1))} aria-label={t('schedule.next')}>
            ›
          </Button>
        </Space>
      }
    >
      <Typography.Text strong className="tenon-schedule-range">
        {formatInstant(range.from.toISOString(), i18n.language).slice(0, 10)}
        {span === 'week' &&
          ` – ${formatInstant(new Date(range.to.getTime() - 1).toISOString(), i18n.language).slice(0, 10)}`}
      </Typography.Text>
      {resources.isLoading ? (
        <Spin />
      ) : shown.length === 0 ? (
        <Empty description={t('schedule.noResources')} />
      ) : (
        <div className="tenon-timeline">
          <div className="tenon-timeline-row tenon-timeline-axis">
            <div className="tenon-timeline-name" />
            <div className="tenon-timeline-track">
              {ticks.map((tick) => (
                <span key={tick.label} className="tenon-timeline-tick" style={{ left: `${tick.left}%` }}>
                  {tick.label}
                </span>
              ))}
            </div>
          </div>
          {shown.map((r, i) => {
            const lanes = lanesOf(schedules[i]?.data?.allocations ?? []);
            const height = Math.max(1, ...lanes.map((l) => l.lane + 1)) * LANE + 8;
            return (
              <div key={r.id} className="tenon-timeline-row" data-resource={r.code}>
                <div className="tenon-timeline-name">
                  <div>{r.name}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.code} · {t('schedule.capacity')} {r.capacity}
                  </Typography.Text>
                </div>
                <div className="tenon-timeline-track" style={{ height }}>
                  {ticks.map((tick) => (
                    <span
                      key={tick.label}
                      className="tenon-timeline-grid"
                      style={{ left: `${tick.left}%` }}
                    />
                  ))}
                  {lanes.map(({ item, lane }) => {
                    const bar = barOf(item, range);
                    if (!bar) return null;
                    return (
                      <Tooltip
                        key={item.id}
                        title={`${t(`schedule.${item.kind}`)} ×${item.quantity}: ${formatInstant(item.startAt, i18n.language)} – ${formatInstant(item.endAt, i18n.language)}`}
                      >
                        <div
                          className={`tenon-timeline-bar tenon-${item.kind}${item.releasedAt ? ' tenon-released' : ''}`}
                          style={{ left: `${bar.left}%`, width: `${bar.width}%`, top: 4 + lane * LANE }}
                        >
                          {t(`schedule.${item.kind}`)}
                        </div>
                      </Tooltip>
                    );
                  })}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}
