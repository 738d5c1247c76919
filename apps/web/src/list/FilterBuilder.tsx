// @jsxRuntime automatic
/** Conditions over the entity's fields with every operator of the list API. */
import { Button, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Condition, FILTER_OPS, type FilterOp } from '../api/records.ts';
import { type EntityDef, labelOf } from '../api/types.ts';

let rowKeys = 0;
const NOT_FILTERABLE = new Set(['children', 'json', 'attachment', 'multi_link']);

export function FilterBuilder({
  entity,
  value,
  onChange,
}: {
  entity: EntityDef;
  value: Condition[];
  onChange: (conditions: Condition[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const fields = entity.fields.filter((f) => !NOT_FILTERABLE.has(f.kind));
  const set = (i: number, patch: Partial<Condition>) =>
    onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Space direction="vertical" style={{ width: '100%' }} className="tenon-filters">
      {value.map((c, i) => (
        <Space.Compact key={c.key ?? i} style={{ width: '100%' }}>
          <Select
            aria-label="field"
            style={{ minWidth: 120 }}
            value={c.field}
            options={fields.map((f) => ({ value: f.name, label: labelOf(f.label, i18n.language, f.name) }))}
            onChange={(field) => set(i, { field })}
          />
          <Select<FilterOp>
            aria-label="operator"
            virtual={false}
            style={{ minWidth: 100 }}
            value={c.op}
            options={FILTER_OPS.map((op) => ({ value: op, label: t(`ops.${op}`) }))}
            onChange={(op) => set(i, { op, value: op === 'null' ? 'true' : c.value })}
          />
          {c.op === 'null' ? (
            <Select
              aria-label="value"
              style={{ minWidth: 80 }}
              value={c.value}
              options={[
                { value: 'true', label: t('form.yes') },
                { value: 'false', label: t('form.no') },
              ]}
              onChange={(v) => set(i, { value: v })}
            />
          ) : (
            <Input
              aria-label="value"
              value={c.value}
              placeholder={c.op === 'between' ? 'low,high' : c.op === 'in' || c.op === 'nin' ? 'a,b,c' : ''}
              onChange={(e) => set(i, { value: e.target.value })}
            />
          )}
          <Button onClick={() => onChange(value.filter((_c, j) => j !== i))} aria-label={t('list.clear')}>
            ×
          </Button>
        </Space.Compact>
      ))}
      <Button
        size="small"
        onClick={() =>
          onChange([...value, { field: fields[0]?.name ?? 'id', op: 'eq', value: '', key: `c${++rowKeys}` }])
        }
      >
        {t('list.addFilter')}
      </Button>
    </Space>
  );
}
