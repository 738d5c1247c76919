// @jsxRuntime automatic
/**
 * What to do with the selected rows (or all rows matching the filter): delete (documents are
 * cancelled by the server), set one field, export them, or run one of the entity's declared actions.
 * The server runs the whole selection in one transaction; one dialog shows the outcome with the
 * errors of each failing row (nothing is saved then).
 */
import { App, Button, Dropdown, Form, List, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldError } from '../api/client.ts';
import { type BulkRequest, type FilterNode, runBulk } from '../api/me.ts';
import type { NavEntity } from '../api/navigation.ts';
import { exportList, type ListQuery } from '../api/records.ts';
import { labelOf, type RecordData } from '../api/types.ts';
import { titleOf } from '../fields/context.ts';
import { FieldInput } from '../fields/registry.tsx';
import { ExportMenu } from './ExportMenu.tsx';

const NOT_SETTABLE = new Set(['children', 'formula', 'sequence', 'json', 'attachment']);
type Outcome = { ok: true; count: number } | { ok: false; message: string; rows: [string, FieldError[]][] };

/** Row errors come as `<record id>[.<field>]`: grouped by record, in the order the server gave. */
export function groupRowErrors(details: FieldError[]): [string, FieldError[]][] {
  const byRow = new Map<string, FieldError[]>();
  for (const d of details) {
    const id = d.field.split('.')[0] ?? d.field;
    byRow.set(id, [...(byRow.get(id) ?? []), { ...d, field: d.field.slice(id.length + 1) }]);
  }
  return [...byRow.entries()];
}

export function BulkBar({
  entity,
  ids,
  all,
  total,
  filter,
  query,
  rows,
  onSelectAll,
  onClear,
  onChanged,
}: {
  entity: NavEntity;
  ids: string[];
  all: boolean;
  total: number | null;
  filter: FilterNode | null;
  query: ListQuery;
  rows: RecordData[];
  onSelectAll: () => void;
  onClear: () => void;
  /** Records were written: the list reloads (the selection is cleared when the result is closed). */
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const [setting, setSetting] = useState<{ field: string; value: unknown } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const count = all ? (total ?? ids.length) : ids.length;
  const settable = entity.fields.filter(
    (f) =>
      !NOT_SETTABLE.has(f.kind) &&
      !f.readOnly &&
      !f.actionOwned &&
      !f.hidden &&
      !entity.readOnlyFields.includes(f.name),
  );
  const isDocument = !!entity.actions?.some((a) => a.name === 'cancel');
  const run = async (request: Omit<BulkRequest, 'ids' | 'all' | 'filter'>) => {
    setBusy(true);
    try {
      const selection = all ? { all: true, filter } : { ids };
      const done = await runBulk(entity.name, { ...selection, ...request });
      setOutcome({ ok: true, count: done.count });
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0)
        setOutcome({ ok: false, message: err.message, rows: groupRowErrors(err.details) });
      else setOutcome({ ok: false, message: err instanceof Error ? err.message : String(err), rows: [] });
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    if (outcome?.ok) onClear();
    setOutcome(null);
  };
  const titleFor = (id: string) => {
    const row = rows.find((r) => r.id === id);
    return row ? titleOf(row, entity) : id;
  };
  const field = settable.find((f) => f.name === setting?.field);
  return (
    <Space wrap className="tenon-bulk">
      <Typography.Text strong>
        {all ? t('bulk.allSelected', { count }) : t('bulk.selected', { count })}
      </Typography.Text>
      {!all && total !== null && total > ids.length ? (
        <Button type="link" size="small" onClick={onSelectAll}>
          {t('bulk.selectAll', { count: total })}
        </Button>
      ) : null}
      {entity.can.update && settable.length > 0 ? (
        <Button
          size="small"
          loading={busy}
          onClick={() => setSetting({ field: settable[0]!.name, value: null })}
        >
          {t('bulk.set')}
        </Button>
      ) : null}
      {(entity.actions ?? []).length > 0 ? (
        <Dropdown
          menu={{
            items: (entity.actions ?? []).map((a) => ({
              key: a.name,
              label: labelOf(a.label, i18n.language, a.name),
            })),
            onClick: ({ key }) => void run({ operation: 'action', action: key }),
          }}
        >
          <Button size="small" loading={busy}>
            {t('bulk.actions')}
          </Button>
        </Dropdown>
      ) : null}
      {entity.can.export ? (
        <ExportMenu
          size="small"
          onExport={(format) => {
            const selected: ListQuery = all
              ? query
              : { ...query, conditions: [{ field: 'id', op: 'in', value: ids.join(',') }] };
            void exportList(entity.name, selected, format);
          }}
        >
          {t('bulk.exportSelected')}
        </ExportMenu>
      ) : null}
      {entity.can.delete || isDocument ? (
        <Button
          size="small"
          danger
          loading={busy}
          onClick={() =>
            modal.confirm({
              title: t('bulk.confirmDelete', { count }),
              onOk: () => run({ operation: 'delete' }),
            })
          }
        >
          {isDocument ? t('bulk.cancelDocs') : t('bulk.delete')}
        </Button>
      ) : null}
      <Button size="small" type="text" onClick={onClear}>
        {t('bulk.clear')}
      </Button>
      <Modal
        open={setting !== null}
        title={t('bulk.set')}
        okText={t('bulk.run')}
        confirmLoading={busy}
        onCancel={() => setSetting(null)}
        onOk={async () => {
          if (!setting) return;
          await run({ operation: 'update', patch: { [setting.field]: setting.value } });
          setSetting(null);
        }}
        destroyOnHidden
      >
        {setting ? (
          <Form layout="vertical">
            <Form.Item label={t('bulk.field')}>
              <Select
                aria-label={t('bulk.field')}
                value={setting.field}
                options={settable.map((f) => ({
                  value: f.name,
                  label: labelOf(f.label, i18n.language, f.name),
                }))}
                onChange={(name) => setSetting({ field: name, value: null })}
              />
            </Form.Item>
            {field ? (
              <Form.Item label={t('bulk.value')}>
                <FieldInput
                  key={field.name}
                  id="bulk-value"
                  field={field}
                  value={setting.value}
                  onChange={(value) => setSetting({ ...setting, value })}
                />
              </Form.Item>
            ) : null}
          </Form>
        ) : null}
      </Modal>
      <Modal
        open={outcome !== null}
        title={t('bulk.resultTitle')}
        onOk={close}
        onCancel={close}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        {outcome?.ok ? (
          <Typography.Text type="success">{t('bulk.done', { count: outcome.count })}</Typography.Text>
        ) : outcome ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="danger">
              {outcome.rows.length > 0 ? t('bulk.failed', { count: outcome.rows.length }) : outcome.message}
            </Typography.Text>
            {outcome.rows.length > 0 ? (
              <List
                size="small"
                bordered
                dataSource={outcome.rows}
                renderItem={([id, errors]) => (
                  <List.Item>
                    <Typography.Text strong>{titleFor(id)}</Typography.Text>:{' '}
                    {errors.map((e) => `${e.field ? `${e.field}: ` : ''}${e.message}`).join('; ')}
                  </List.Item>
                )}
              />
            ) : null}
          </Space>
        ) : null}
      </Modal>
    </Space>
  );
}
