// @jsxRuntime automatic
/**
 * Home dashboard: KPI cards (records per entity, with totals from the list API) and an ECharts bar
 * chart; the user picks which entities it shows, kept per user in this browser.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Select, Space, Statistic } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api/client.ts';
import { labelOf } from '../api/types.ts';
import { useNav } from '../shell/navigation-context.ts';
import { useThemeMode } from '../shell/theme.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function Home() {
  const nav = useNav();
  const { t, i18n } = useTranslation();
  const { mode } = useThemeMode();
  const storageKey = `tenon.dashboard.${nav?.user.id ?? ''}`;
  const top = (nav?.entities ?? []).filter((e) => !e.childOf);
  const [chosen, setChosen] = useState<string[]>(() => {
    const saved = localStorage.getItem(storageKey);
    return saved ? (JSON.parse(saved) as string[]) : top.slice(0, 6).map((e) => e.name);
  });
  useEffect(() => localStorage.setItem(storageKey, JSON.stringify(chosen)), [storageKey, chosen]);
  const counts = useQuery({
    queryKey: ['dashboard', chosen],
    queryFn: () =>
      Promise.all(
        chosen.map(async (name) => {
          try {
            return {
              name,
              total: (await api<Page<unknown>>(`/api/v1/${name}?pageSize=1&fields=id&total=true`)).total ?? 0,
            };
          } catch {
            return { name, total: 0 };
          }
        }),
      ),
  });
  const chartRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!chartRef.current || !counts.data) return;
    const chart = echarts.init(chartRef.current, mode === 'dark' ? 'dark' : undefined);
    const labelFor = (n: string) => labelOf(top.find((e) => e.name === n)?.label, i18n.language, n);
    chart.setOption({
      backgroundColor: 'transparent',
      tooltip: {},
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: counts.data.map((c) => labelFor(c.name)) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: counts.data.map((c) => c.total) }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [counts.data, mode, i18n.language, top]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('home.customise')}>
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          value={chosen}
          options={top.map((e) => ({ value: e.name, label: labelOf(e.label, i18n.language, e.name) }))}
          onChange={setChosen}
        />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('home.entities')} value={top.length} />
          </Card>
        </Col>
        {(counts.data ?? []).map((c) => (
          <Col xs={12} md={6} key={c.name}>
            <Card size="small">
              <Statistic
                title={labelOf(top.find((e) => e.name === c.name)?.label, i18n.language, c.name)}
                value={c.total}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('home.chart')}>
        <div ref={chartRef} style={{ height: 300, width: '100%' }} />
      </Card>
    </Space>
  );
}
