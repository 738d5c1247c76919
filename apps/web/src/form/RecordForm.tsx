// @jsxRuntime automatic
/** The generated form: one input per field, client validation from the server's JSON Schema, field errors in place. */
import { Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client.ts';
import { type EntityDef, labelOf, type RecordData } from '../api/types.ts';
import { FieldInput } from '../fields/registry.tsx';

export function RecordForm({
  entity,
  values,
  errors,
  readOnlyFields = [],
  onChange,
}: {
  entity: EntityDef;
  values: RecordData;
  errors: FieldError[];
  readOnlyFields?: string[];
  onChange: (values: RecordData) => void;
}) {
  const { i18n, t } = useTranslation();
  const errorOf = (name: string) =>
    errors
      .filter((e) => e.field === name || e.field.startsWith(`${name}.`))
      .map((e) => (e.code === 'required' ? t('form.required') : e.message))
      .join('; ');
  return (
    <Form layout="vertical" component="div">
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
          columnGap: 16,
        }}
      >
        {entity.fields
          .filter((f) => !f.hidden)
          .map((f) => {
            const message = errorOf(f.name);
            const wide = f.kind === 'children' || f.kind === 'text' || f.kind === 'json';
            return (
              <Form.Item
                key={f.name}
                label={labelOf(f.label, i18n.language, f.name)}
                required={f.required}
                htmlFor={`field-${f.name}`}
                validateStatus={message ? 'error' : undefined}
                help={message || undefined}
                style={wide ? { gridColumn: '1 / -1' } : undefined}
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
          })}
      </div>
    </Form>
  );
}
