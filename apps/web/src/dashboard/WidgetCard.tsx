// @jsxRuntime automatic
/** One dashboard widget: a KPI card (a count or a sum) or an ECharts bar, line or pie chart of groups. */
import { Button, Card, Space, Statistic, Typography } from 'antd';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type AggregateResult, aggregateParams, useAggregate, type Widget } from '../api/me.ts';
import type { EntityDef } from '../api/types.ts';
import { formatDecimal } from '../fields/decimal.ts';
import { useThemeMode } from '../shell/theme.ts';
import { groupLabel, widgetTitle } from './widget-labels.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function WidgetCard({
  widget,
  entity,
  onRemove,
  onMove,
}: {
  widget: Widget;
  entity: EntityDef | undefined;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const { t, i18n } = useTranslation();
  const result = useAggregate(widget.entity, aggregateParams(widget));
  return (
    <Card
      size="small"
      className="tenon-widget"
      data-widget={widget.id}
      title={widgetTitle(widget, entity, i18n.language, t)}
      loading={result.isLoading}
      extra={
        <Space size={0}>
          <Button size="small" type="text" aria-label={t('dashboard.up')} onClick={() => onMove(-1)}>
            ↑
          </Button>
          <Button size="small" type="text" aria-label={t('dashboard.down')} onClick={() => onMove(1)}>
            ↓
          </Button>
          <Button size="small" type="text" danger aria-label={t('dashboard.remove')} onClick={onRemove}>
            ×
          </Button>
        </Space>
      }
    >
      {result.error ? (
        <Typography.Text type="danger">{result.error.message}</Typography.Text>
      ) : widget.type === 'kpi' ? (
        <Statistic value={formatDecimal(result.data?.value ?? '0')} />
      ) : result.data ? (
        <Chart widget={widget} entity={entity} data={result.data} />
      ) : null}
    </Card>
  );
}

function Chart({
  widget,
  entity,
  data,
}: {
  widget: Widget;
  entity: EntityDef | undefined;
  data: AggregateResult;
}) {
  const { t, i18n } = useTranslation();
  const { mode } = useThemeMode();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const groups = data.groups ?? [];
    const labels = groups.map((g) => groupLabel(g, entity, widget.groupBy ?? '', i18n.language, t));
    // The plotted height only; the tooltip shows the exact decimal string.
    const points = groups.map((g, i) => ({
      name: labels[i],
      value: Number(g.value),
      exact: formatDecimal(g.value),
    }));
    const tooltip = {
      trigger: 'item' as const,
      formatter: (p: { name: string; data: { exact: string } }) => `${p.name}: ${p.data.exact}`,
    };
    const chart = echarts.init(ref.current, mode === 'dark' ? 'dark' : undefined);
    chart.setOption(
      widget.chart === 'pie'
        ? { backgroundColor: 'transparent', tooltip, series: [{ type: 'pie', radius: '65%', data: points }] }
        : {
            backgroundColor: 'transparent',
            tooltip,
            grid: { left: 48, right: 16, top: 16, bottom: 40 },
            xAxis: { type: 'category', data: labels },
            yAxis: { type: 'value' },
            series: [{ type: widget.chart ?? 'bar', data: points }],
          },
    );
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [data, entity, widget, mode, i18n.language, t]);
  return <div ref={ref} className="tenon-chart" style={{ height: 260, width: '100%' }} />;
}
