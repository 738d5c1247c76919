// @jsxRuntime automatic
/** One input per field kind: `value` is the JSON value the API takes (decimals as strings). */
import { Button, Checkbox, Input, InputNumber, Select, Space, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FieldDef, labelOf } from '../api/types.ts';
import { ChildrenGrid } from './ChildrenGrid.tsx';
import { titleOf, useFieldServices } from './context.ts';
import { parseDecimalInput } from './decimal.ts';
import { fromLocalInput, toLocalInput } from './time-zone.ts';

export type InputProps = {
  field: FieldDef;
  value: unknown;
  onChange: (value: unknown) => void;
  disabled?: boolean;
  id?: string;
  /** The whole record (money's currencyField, quantity's uomField). */
  record?: Record<string, unknown>;
};

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const orNull = (s: string): string | null => (s === '' ? null : s);

export function StringInput({ field, value, onChange, disabled, id }: InputProps) {
  return (
    <Input
      id={id}
      value={str(value)}
      maxLength={field.maxLength}
      disabled={disabled}
      onChange={(e) => onChange(orNull(e.target.value))}
    />
  );
}

export function TextInput({ field, value, onChange, disabled, id }: InputProps) {
  return (
    <Input.TextArea
      id={id}
      rows={3}
      value={str(value)}
      maxLength={field.maxLength}
      disabled={disabled}
      onChange={(e) => onChange(orNull(e.target.value))}
    />
  );
}

export function IntegerInput({ field, value, onChange, disabled, id }: InputProps) {
  return (
    <InputNumber
      id={id}
      style={{ width: '100%' }}
      precision={0}
      min={typeof field.min === 'number' ? field.min : undefined}
      max={typeof field.max === 'number' ? field.max : undefined}
      value={typeof value === 'number' ? value : null}
      disabled={disabled}
      onChange={(v) => onChange(typeof v === 'number' ? v : null)}
    />
  );
}

/** Decimal text kept as typed while editing; the parsed decimal string (or the raw text) goes up. */
function DecimalText({ value, onChange, disabled, id, addon }: InputProps & { addon?: string | undefined }) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? str(value);
  return (
    <Space.Compact style={{ width: '100%' }}>
      {addon ? <Button disabled>{addon}</Button> : null}
      <Input
        id={id}
        inputMode="decimal"
        value={shown}
        disabled={disabled}
        style={{ textAlign: 'right' }}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseDecimalInput(e.target.value);
          onChange(e.target.value.trim() === '' ? null : (parsed ?? e.target.value));
        }}
        onBlur={() => setText(null)}
      />
    </Space.Compact>
  );
}

export function DecimalInput(props: InputProps) {
  return <DecimalText {...props} />;
}

export function MoneyInput(props: InputProps) {
  const currency = props.field.currency ?? str(props.record?.[props.field.currencyField ?? '']);
  return <DecimalText {...props} addon={currency || undefined} />;
}

export function QuantityInput(props: InputProps) {
  const uom = str(props.record?.[props.field.uomField ?? '']);
  return <DecimalText {...props} addon={uom || undefined} />;
}

export function BooleanInput({ value, onChange, disabled, id }: InputProps) {
  return (
    <Checkbox
      id={id}
      checked={value === true}
      disabled={disabled}
      onChange={(e) => onChange(e.target.checked)}
    />
  );
}

export function DateInput({ value, onChange, disabled, id }: InputProps) {
  return (
    <Input
      id={id}
      type="date"
      value={str(value)}
      disabled={disabled}
      onChange={(e) => onChange(orNull(e.target.value))}
    />
  );
}

export function DatetimeInput({ value, onChange, disabled, id }: InputProps) {
  return (
    <Input
      id={id}
      type="datetime-local"
      value={typeof value === 'string' ? toLocalInput(value) : ''}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value ? fromLocalInput(e.target.value) : null)}
    />
  );
}

export function TimeInput({ value, onChange, disabled, id }: InputProps) {
  return (
    <Input
      id={id}
      type="time"
      value={str(value)}
      disabled={disabled}
      onChange={(e) => onChange(orNull(e.target.value))}
    />
  );
}

export function SelectInput({ field, value, onChange, disabled, id }: InputProps) {
  const { i18n } = useTranslation();
  return (
    <Select
      id={id}
      allowClear
      style={{ width: '100%' }}
      value={value ?? undefined}
      disabled={disabled}
      options={(field.options ?? []).map((o) => ({
        value: o.value,
        label: labelOf(o.label, i18n.language, o.value),
      }))}
      onChange={(v) => onChange(v ?? null)}
    />
  );
}

function RecordPicker({
  field,
  value,
  onChange,
  disabled,
  id,
  multiple,
}: InputProps & { multiple: boolean }) {
  const { t } = useTranslation();
  const services = useFieldServices();
  const target = services.entity(field.target ?? '');
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = async (text: string) => {
    const found = await services.search(field.target ?? '', text);
    setOptions(found.map((r) => ({ value: String(r.id), label: titleOf(r, target) })));
  };
  const selected = (multiple ? (Array.isArray(value) ? value : []) : value ? [value] : []) as unknown[];
  const current = selected.map((v) =>
    typeof v === 'object' && v !== null
      ? { value: String((v as { id: unknown }).id), label: titleOf(v as Record<string, unknown>, target) }
      : { value: String(v), label: options.find((o) => o.value === v)?.label ?? String(v) },
  );
  const merged = [...current, ...options.filter((o) => !current.some((c) => c.value === o.value))];
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        id={id}
        showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
        mode={multiple ? 'multiple' : undefined}
        allowClear
        style={{ width: '100%' }}
        value={multiple ? current.map((c) => c.value) : (current[0]?.value ?? undefined)}
        options={merged}
        disabled={disabled}
        placeholder={t('form.search')}
        onFocus={() => void search('')}
        onChange={(v) => onChange(multiple ? (v ?? []) : (v ?? null))}
      />
      <Button disabled={disabled} onClick={() => services.createNew(field.target ?? '')} aria-label="create">
        +
      </Button>
    </Space.Compact>
  );
}

export function LinkInput(props: InputProps) {
  return <RecordPicker {...props} multiple={false} />;
}

export function MultiLinkInput(props: InputProps) {
  return <RecordPicker {...props} multiple />;
}

export function ChildrenInput(props: InputProps) {
  return <ChildrenGrid {...props} />;
}

export function JsonInput({ value, onChange, disabled, id }: InputProps) {
  const [text, setText] = useState(() =>
    value === undefined || value === null ? '' : JSON.stringify(value, null, 2),
  );
  return (
    <Input.TextArea
      id={id}
      rows={4}
      value={text}
      disabled={disabled}
      style={{ fontFamily: 'monospace' }}
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === '') return onChange(null);
        try {
          onChange(JSON.parse(e.target.value));
        } catch {
          onChange({ $invalidJson: e.target.value });
        }
      }}
    />
  );
}

export function AttachmentInput({ value, onChange, disabled, id }: InputProps) {
  const { t } = useTranslation();
  const services = useFieldServices();
  return (
    <Space id={id}>
      <Upload
        showUploadList={false}
        disabled={disabled}
        customRequest={async ({ file, onSuccess, onError }) => {
          try {
            onChange(await services.upload(file as File));
            onSuccess?.({});
          } catch (err) {
            onError?.(err as Error);
          }
        }}
      >
        <Button disabled={disabled}>{t('form.upload')}</Button>
      </Upload>
      {typeof value === 'string' ? (
        <Button type="link" onClick={() => services.open(value)}>
          {value.slice(0, 8)}
        </Button>
      ) : null}
    </Space>
  );
}

/** Formula and sequence values are computed by the server: shown, never edited. */
export function FormulaInput({ value, id }: InputProps) {
  return <Input id={id} value={str(value)} disabled readOnly />;
}

export function SequenceInput({ value, id }: InputProps) {
  return <Input id={id} value={str(value)} disabled readOnly placeholder="—" />;
}
