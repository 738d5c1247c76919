// @jsxRuntime automatic
/**
 * The generated form: one input per field, client validation from the server's JSON Schema, field
 * errors in place; grouped into sections or tabs when the entity has a form layout.
 */
import { Form, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client.ts';
import { type EntityDef, type FieldDef, labelOf, type RecordData } from '../api/types.ts';
import { FieldInput } from '../fields/registry.tsx';
import { type FieldGroup, type FormLayout, groupFields } from './layout.ts';

const WIDE = new Set(['children', 'text', 'json']);

/** The grid of one group: a fixed number of columns (one on a phone), or as many as fit. */
export function gridStyle(columns: number | null): React.CSSProperties {
  return {
    display: 'grid',
    gridTemplateColumns: columns
      ? `repeat(${columns}, minmax(0, 1fr))`
      : 'repeat(auto-fill, minmax(260px, 1fr))',
    columnGap: 16,
  };
}

/** Renders groups as headed sections or as tabs. */
export function Grouped({
  groups,
  style,
  render,
}: {
  groups: FieldGroup[];
  style: FormLayout['style'];
  render: (group: FieldGroup) => React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const title = (g: FieldGroup) => (g.label ? labelOf(g.label, i18n.language) : t('form.otherFields'));
  if (groups.length === 1 && !groups[0]!.label) return <>{render(groups[0]!)}</>;
  if (style === 'tabs') {
    return (
      <Tabs
        items={groups.map((g) => ({ key: g.key, label: title(g), children: render(g), forceRender: true }))}
      />
    );
  }
  return (
    <>
      {groups.map((g) => (
        <section key={g.key} className="tenon-form-section">
          <Typography.Title level={5}>{title(g)}</Typography.Title>
          {render(g)}
        </section>
      ))}
    </>
  );
}

export function RecordForm({
  entity,
  values,
  errors,
  readOnlyFields = [],
  layout,
  onChange,
}: {
  entity: EntityDef;
  values: RecordData;
  errors: FieldError[];
  readOnlyFields?: string[];
  layout?: FormLayout | null;
  onChange: (values: RecordData) => void;
}) {
  const { i18n, t } = useTranslation();
  const errorOf = (name: string) =>
    errors
      .filter((e) => e.field === name || e.field.startsWith(`${name}.`))
      .map((e) => (e.code === 'required' ? t('form.required') : e.message))
      .join('; ');
  const item = (f: FieldDef) => {
    const message = errorOf(f.name);
    return (
      <Form.Item
        key={f.name}
        label={labelOf(f.label, i18n.language, f.name)}
        required={f.required}
        htmlFor={`field-${f.name}`}
        validateStatus={message ? 'error' : undefined}
        help={message || undefined}
        style={WIDE.has(f.kind) ? { gridColumn: '1 / -1' } : undefined}
      >
        <FieldInput
          id={`field-${f.name}`}
          field={f}
          value={values[f.name]}
          record={values}
          disabled={readOnlyFields.includes(f.name) || f.readOnly || f.actionOwned}
          onChange={(v) => onChange({ ...values, [f.name]: v })}
        />
      </Form.Item>
    );
  };
  return (
    <Form layout="vertical" component="div">
      <Grouped
        groups={groupFields(entity.fields, layout)}
        style={layout?.style}
        render={(g) => (
          <div className="tenon-form-grid" style={gridStyle(g.columns)}>
            {g.fields.map(item)}
          </div>
        )}
      />
    </Form>
  );
}
