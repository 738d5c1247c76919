// @jsxRuntime automatic
/** The dialog that adds a KPI card or a chart: entity, measure, then a saved view or a grouping. */
import { Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useViews, type Widget } from '../api/me.ts';
import type { NavEntity } from '../api/navigation.ts';
import { labelOf } from '../api/types.ts';

const SUM_KINDS = new Set(['integer', 'decimal', 'money', 'quantity']);
const GROUP_KINDS = new Set(['select', 'link', 'boolean', 'string', 'date', 'datetime']);
const DATED = new Set(['date', 'datetime']);

type Draft = Omit<Widget, 'id'> & { unit: 'day' | 'week' | 'month' };

export function AddWidget({
  open,
  entities,
  onAdd,
  onClose,
}: {
  open: boolean;
  entities: NavEntity[];
  onAdd: (widget: Widget) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const first = entities[0]?.name ?? '';
  const [draft, setDraft] = useState<Draft>({ type: 'kpi', entity: first, measure: 'count', unit: 'month' });
  const entity = entities.find((e) => e.name === draft.entity);
  const views = useViews(draft.entity);
  const fieldOptions = (keep: (kind: string) => boolean) =>
    (entity?.fields ?? [])
      .filter((f) => keep(f.kind) && !f.hidden)
      .map((f) => ({ value: f.name, label: labelOf(f.label, lang, f.name) }));
  const groupField = entity?.fields.find((f) => f.name === draft.groupBy);
  const dated = !!groupField && DATED.has(groupField.kind);
  const valid = !!entity && (draft.type === 'kpi' || !!draft.groupBy);
  const submit = () => {
    if (!valid) return;
    const { unit, ...rest } = draft;
    const widget: Widget = {
      ...rest,
      id: `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      ...(draft.type === 'chart'
        ? {
            groupBy: dated ? `${draft.groupBy}:${unit}` : draft.groupBy,
            chart: draft.chart ?? 'bar',
            view: undefined,
          }
        : { groupBy: undefined, chart: undefined }),
    };
    if (!widget.title) delete widget.title;
    for (const k of ['groupBy', 'chart', 'view'] as const) if (widget[k] === undefined) delete widget[k];
    onAdd(widget);
  };
  return (
    <Modal
      open={open}
      title={t('dashboard.add')}
      okButtonProps={{ disabled: !valid }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form layout="vertical" className="tenon-add-widget">
        <Form.Item label={t('dashboard.type')}>
          <Radio.Group
            value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.target.value })}
            options={[
              { value: 'kpi', label: t('dashboard.kpi') },
              { value: 'chart', label: t('dashboard.chart') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('dashboard.entity')}>
          <Select
            aria-label={t('dashboard.entity')}
            showSearch
            optionFilterProp="label"
            value={draft.entity}
            options={entities.map((e) => ({ value: e.name, label: labelOf(e.label, lang, e.name) }))}
            onChange={(name) =>
              setDraft({ ...draft, entity: name, measure: 'count', groupBy: undefined, view: undefined })
            }
          />
        </Form.Item>
        <Form.Item label={t('dashboard.measure')}>
          <Select
            aria-label={t('dashboard.measure')}
            value={draft.measure}
            options={[
              { value: 'count', label: t('dashboard.count') },
              ...fieldOptions((k) => SUM_KINDS.has(k)).map((o) => ({
                value: `sum:${o.value}`,
                label: t('dashboard.sum', { field: o.label }),
              })),
            ]}
            onChange={(measure) => setDraft({ ...draft, measure })}
          />
        </Form.Item>
        {draft.type === 'kpi' ? (
          <Form.Item label={t('dashboard.view')}>
            <Select
              aria-label={t('dashboard.view')}
              allowClear
              value={draft.view}
              options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
              onChange={(view) => setDraft({ ...draft, view })}
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item label={t('dashboard.groupBy')}>
              <Select
                aria-label={t('dashboard.groupBy')}
                value={draft.groupBy}
                options={fieldOptions((k) => GROUP_KINDS.has(k))}
                onChange={(groupBy) => setDraft({ ...draft, groupBy })}
              />
            </Form.Item>
            {dated ? (
              <Form.Item label={t('dashboard.unit')}>
                <Radio.Group
                  value={draft.unit}
                  onChange={(e) => setDraft({ ...draft, unit: e.target.value })}
                  options={(['day', 'week', 'month'] as const).map((u) => ({
                    value: u,
                    label: t(`dashboard.${u}`),
                  }))}
                />
              </Form.Item>
            ) : null}
            <Form.Item label={t('dashboard.chartType')}>
              <Radio.Group
                value={draft.chart ?? 'bar'}
                onChange={(e) => setDraft({ ...draft, chart: e.target.value })}
                options={(['bar', 'line', 'pie'] as const).map((c) => ({
                  value: c,
                  label: t(`dashboard.${c}`),
                }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item label={t('dashboard.title')}>
          <Input
            aria-label={t('dashboard.title')}
            maxLength={100}
            value={draft.title ?? ''}
            onChange={(e) => setDraft({ ...draft, title: e.target.value || undefined })}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
