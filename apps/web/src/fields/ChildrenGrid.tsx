// @jsxRuntime automatic
/** A child table as an editable grid: one row per line, one cell input per child field. */
import { Button, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf, type RecordData } from '../api/types.ts';
import { useFieldServices } from './context.ts';
import type { InputProps } from './inputs.tsx';
import { FieldInput } from './registry.tsx';

const SYSTEM = new Set(['id', 'parent_id', 'parent_field', 'line_no', 'version']);

export function ChildrenGrid({ field, value, onChange, disabled, id }: InputProps) {
  const { t, i18n } = useTranslation();
  const child = useFieldServices().entity(field.target ?? '');
  const lines = (Array.isArray(value) ? value : []) as RecordData[];
  const fields = (child?.fields ?? []).filter(
    (f) => !f.hidden && !SYSTEM.has(f.name) && f.kind !== 'children',
  );
  const setCell = (index: number, name: string, v: unknown) =>
    onChange(lines.map((line, i) => (i === index ? { ...line, [name]: v } : line)));
  return (
    <div id={id}>
      <Table<RecordData & { _i: number }>
        size="small"
        pagination={false}
        scroll={{ x: true }}
        rowKey="_i"
        dataSource={lines.map((l, i) => ({ ...l, _i: i }))}
        columns={[
          ...fields.map((f) => ({
            key: f.name,
            title: labelOf(f.label, i18n.language, f.name),
            render: (_: unknown, row: RecordData & { _i: number }) => (
              <FieldInput
                field={f}
                value={row[f.name]}
                record={row}
                disabled={disabled}
                id={`${field.name}-${row._i}-${f.name}`}
                onChange={(v) => setCell(row._i, f.name, v)}
              />
            ),
          })),
          {
            key: '_remove',
            width: 60,
            render: (_: unknown, row: RecordData & { _i: number }) => (
              <Button
                size="small"
                danger
                disabled={disabled}
                aria-label={t('form.removeLine')}
                onClick={() => onChange(lines.filter((_l, i) => i !== row._i))}
              >
                ×
              </Button>
            ),
          },
        ]}
      />
      <Button
        size="small"
        disabled={disabled}
        onClick={() => onChange([...lines, {}])}
        style={{ marginTop: 8 }}
      >
        {t('form.addLine')}
      </Button>
    </div>
  );
}
