// @jsxRuntime automatic
/**
 * Home dashboard, configured by each user and kept on the server (`/api/v1/me/preferences/dashboard`):
 * KPI cards (a count, optionally of a saved view, or a sum) and bar, line or pie charts of counts or
 * sums grouped by a field, all computed by the server under the user's permissions. Widgets are added,
 * removed and moved; every change is saved at once. Until a user saves one, a record count of the first
 * few entities is shown.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Empty, Row, Space, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { meKeys, type Preferences, savePreference, usePreferences, type Widget } from '../api/me.ts';
import { AddWidget } from '../dashboard/AddWidget.tsx';
import { WidgetCard } from '../dashboard/WidgetCard.tsx';
import { useNav } from '../shell/navigation-context.ts';

const starter = (entities: string[]): Widget[] =>
  entities.slice(0, 4).map((entity) => ({ id: `start-${entity}`, type: 'kpi', entity, measure: 'count' }));

export default function Home() {
  const nav = useNav();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const preferences = usePreferences();
  const [adding, setAdding] = useState(false);
  const top = (nav?.entities ?? []).filter((e) => !e.childOf);
  if (!preferences.data)
    return preferences.error ? <Empty description={preferences.error.message} /> : <Spin />;
  const widgets = preferences.data.dashboard?.widgets ?? starter(top.map((e) => e.name));
  const save = async (next: Widget[]) => {
    const previous = queryClient.getQueryData<Preferences>(meKeys.preferences);
    queryClient.setQueryData<Preferences>(meKeys.preferences, { ...previous, dashboard: { widgets: next } });
    try {
      await savePreference('dashboard', { widgets: next });
    } catch (err) {
      queryClient.setQueryData(meKeys.preferences, previous);
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= widgets.length) return;
    const next = [...widgets];
    [next[i], next[j]] = [next[j]!, next[i]!];
    void save(next);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => setAdding(true)} disabled={top.length === 0}>
          {t('dashboard.add')}
        </Button>
      </Space>
      {widgets.length === 0 ? <Empty description={t('dashboard.empty')} /> : null}
      <Row gutter={[12, 12]}>
        {widgets.map((w, i) => (
          <Col key={w.id} xs={24} md={w.type === 'kpi' ? 6 : 12}>
            <WidgetCard
              widget={w}
              entity={top.find((e) => e.name === w.entity)}
              onRemove={() => void save(widgets.filter((x) => x.id !== w.id))}
              onMove={(by) => move(i, by)}
            />
          </Col>
        ))}
      </Row>
      {/* Mounted while open: each time a fresh draft. */}
      {adding ? (
        <AddWidget
          open
          entities={top}
          onClose={() => setAdding(false)}
          onAdd={(w) => {
            setAdding(false);
            void save([...widgets, w]);
          }}
        />
      ) : null}
    </Space>
  );
}
