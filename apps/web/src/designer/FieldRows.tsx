// @jsxRuntime automatic
/** The designer's field editor: one row per field, kind-specific options inline. */
import { Button, Card, Checkbox, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { type EntityDef, FIELD_KINDS, labelOf } from '../api/types.ts';
import { type FieldDraft, newField } from './draft.ts';

export function FieldRows({
  fields,
  onChange,
  entities,
  nested = false,
}: {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
  entities: EntityDef[];
  nested?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const set = (key: string, patch: Partial<FieldDraft>) =>
    onChange(fields.map((f) => (f.key === key ? { ...f, ...patch } : f)));
  const kinds = FIELD_KINDS.filter((k) => !nested || k !== 'children');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {fields.map((f, i) => (
        <Card size="small" key={f.key} className="tenon-field-row" data-index={i}>
          <Space wrap align="start">
            <Input
              aria-label={t('designer.fieldLabelZh')}
              placeholder={t('designer.fieldLabelZh')}
              value={f.zh}
              onChange={(e) => set(f.key, { zh: e.target.value })}
              style={{ width: 140 }}
            />
            <Input
              aria-label={t('designer.fieldLabelEn')}
              placeholder={t('designer.fieldLabelEn')}
              value={f.en}
              onChange={(e) => set(f.key, { en: e.target.value })}
              style={{ width: 140 }}
            />
            <Input
              aria-label="name"
              placeholder="name"
              value={f.name}
              onChange={(e) => set(f.key, { name: e.target.value })}
              style={{ width: 120 }}
            />
            <Select
              aria-label={t('designer.kind')}
              className="tenon-kind"
              virtual={false}
              value={f.kind}
              style={{ width: 130 }}
              options={kinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
              onChange={(kind) =>
                set(f.key, {
                  kind,
                  lines: kind === 'children' && f.lines.length === 0 ? [newField()] : f.lines,
                })
              }
            />
            <Checkbox checked={f.required} onChange={(e) => set(f.key, { required: e.target.checked })}>
              {t('designer.required')}
            </Checkbox>
            {f.kind === 'link' || f.kind === 'multi_link' ? (
              <Select
                aria-label={t('designer.target')}
                placeholder={t('designer.target')}
                value={f.target || undefined}
                style={{ width: 160 }}
                options={entities
                  .filter((e) => !e.childOf)
                  .map((e) => ({ value: e.name, label: labelOf(e.label, i18n.language, e.name) }))}
                onChange={(target) => set(f.key, { target })}
              />
            ) : null}
            {f.kind === 'select' ? (
              <Input
                aria-label={t('designer.options')}
                placeholder={t('designer.options')}
                value={f.options}
                onChange={(e) => set(f.key, { options: e.target.value })}
              />
            ) : null}
            {f.kind === 'sequence' ? (
              <Input
                aria-label="pattern"
                placeholder="PAT-{YYYY}{MM}-{SEQ:4}"
                value={f.pattern}
                onChange={(e) => set(f.key, { pattern: e.target.value })}
              />
            ) : null}
            {f.kind === 'money' ? (
              <Input
                aria-label="currency"
                placeholder="CNY"
                value={f.currency}
                maxLength={3}
                style={{ width: 70 }}
                onChange={(e) => set(f.key, { currency: e.target.value.toUpperCase() })}
              />
            ) : null}
            {f.kind === 'formula' ? (
              <Input
                aria-label="expression"
                placeholder="CEL"
                value={f.expression}
                onChange={(e) => set(f.key, { expression: e.target.value })}
              />
            ) : null}
            <Button danger onClick={() => onChange(fields.filter((x) => x.key !== f.key))}>
              ×
            </Button>
          </Space>
          {f.kind === 'children' ? (
            <div style={{ marginTop: 8, paddingLeft: 16 }}>
              <div>{t('designer.childFields')}</div>
              <FieldRows
                fields={f.lines}
                entities={entities}
                nested
                onChange={(lines) => set(f.key, { lines })}
              />
            </div>
          ) : null}
        </Card>
      ))}
      <Button onClick={() => onChange([...fields, newField()])} className="tenon-add-field">
        {t('designer.addField')}
      </Button>
    </Space>
  );
}
