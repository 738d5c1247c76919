// @jsxRuntime automatic
/** One display per field kind, from the JSON value the API returns (decimals as strings). */
import { Button, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type FieldDef, labelOf, type RecordData } from '../api/types.ts';
import { titleOf, useFieldServices } from './context.ts';
import { currencyScale, formatDecimal } from './decimal.ts';
import { formatInstant } from './time-zone.ts';

export type DisplayProps = { field: FieldDef; value: unknown; record?: Record<string, unknown> };

const EMPTY = <span className="tenon-empty">—</span>;
const isEmpty = (v: unknown) => v === null || v === undefined || v === '';

export function StringDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <span>{String(value)}</span>;
}

export function TextDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
}

export function IntegerDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <span className="tenon-num">{formatDecimal(String(value))}</span>;
}

export function DecimalDisplay({ field, value }: DisplayProps) {
  return isEmpty(value) ? (
    EMPTY
  ) : (
    <span className="tenon-num">{formatDecimal(String(value), field.scale)}</span>
  );
}

export function MoneyDisplay({ field, value, record }: DisplayProps) {
  if (isEmpty(value)) return EMPTY;
  const currency = field.currency ?? (field.currencyField ? String(record?.[field.currencyField] ?? '') : '');
  return (
    <span className="tenon-num">
      {currency ? `${currency} ` : ''}
      {formatDecimal(String(value), currencyScale(currency || undefined))}
    </span>
  );
}

export function QuantityDisplay({ field, value, record }: DisplayProps) {
  if (isEmpty(value)) return EMPTY;
  const uom = field.uomField ? record?.[field.uomField] : undefined;
  return (
    <span className="tenon-num">
      {formatDecimal(String(value))}
      {uom ? ` ${String(uom)}` : ''}
    </span>
  );
}

export function BooleanDisplay({ value }: DisplayProps) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return EMPTY;
  return <Tag color={value ? 'green' : 'default'}>{value ? t('form.yes') : t('form.no')}</Tag>;
}

export function DateDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <span>{String(value)}</span>;
}

export function DatetimeDisplay({ value }: DisplayProps) {
  const { i18n } = useTranslation();
  return isEmpty(value) ? EMPTY : <span>{formatInstant(String(value), i18n.language)}</span>;
}

export function TimeDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <span>{String(value).slice(0, 5)}</span>;
}

export function SelectDisplay({ field, value }: DisplayProps) {
  const { i18n } = useTranslation();
  if (isEmpty(value)) return EMPTY;
  const option = field.options?.find((o) => o.value === value);
  return <Tag>{option ? labelOf(option.label, i18n.language, option.value) : String(value)}</Tag>;
}

function RecordTitle({ field, value }: { field: FieldDef; value: unknown }) {
  const services = useFieldServices();
  const target = services.entity(field.target ?? '');
  const text =
    typeof value === 'object' && value !== null ? titleOf(value as RecordData, target) : String(value);
  return <Tag color="blue">{text}</Tag>;
}

export function LinkDisplay({ field, value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <RecordTitle field={field} value={value} />;
}

export function MultiLinkDisplay({ field, value }: DisplayProps) {
  if (!Array.isArray(value) || value.length === 0) return EMPTY;
  return (
    <span>
      {value.map((v, i) => (
        <RecordTitle key={typeof v === 'string' ? v : i} field={field} value={v} />
      ))}
    </span>
  );
}

export function ChildrenDisplay({ field, value }: DisplayProps) {
  const { i18n } = useTranslation();
  const services = useFieldServices();
  if (!Array.isArray(value) || value.length === 0) return EMPTY;
  const child = services.entity(field.target ?? '');
  const columns = (child?.fields ?? []).filter((f) => !f.hidden).slice(0, 8);
  return (
    <table className="tenon-lines">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.name}>{labelOf(c.label, i18n.language, c.name)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(value as RecordData[]).map((line, i) => (
          <tr key={String(line.id ?? i)}>
            {columns.map((c) => (
              <td key={c.name}>
                <FieldDisplayLazy field={c} value={line[c.name]} record={line} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function JsonDisplay({ value }: DisplayProps) {
  if (value === null || value === undefined) return EMPTY;
  return <Typography.Text code>{JSON.stringify(value)}</Typography.Text>;
}

export function AttachmentDisplay({ value }: DisplayProps) {
  const services = useFieldServices();
  if (isEmpty(value)) return EMPTY;
  const id = typeof value === 'object' ? String((value as { id: unknown }).id) : String(value);
  const name = typeof value === 'object' ? String((value as { name?: unknown }).name ?? id) : id.slice(0, 8);
  return (
    <Button type="link" size="small" onClick={() => services.open(id)}>
      📎 {name}
    </Button>
  );
}

export function FormulaDisplay({ field, value }: DisplayProps) {
  if (isEmpty(value)) return EMPTY;
  if (field.resultKind === 'decimal')
    return <span className="tenon-num">{formatDecimal(String(value))}</span>;
  if (field.resultKind === 'boolean') return <BooleanDisplay field={field} value={value} />;
  return <span>{String(value)}</span>;
}

export function SequenceDisplay({ value }: DisplayProps) {
  return isEmpty(value) ? EMPTY : <Typography.Text strong>{String(value)}</Typography.Text>;
}

// Child lines render their cells through the registry; bound late to avoid an import cycle.
let registryDisplay: ((p: DisplayProps) => React.ReactNode) | null = null;
export function bindDisplayRegistry(render: (p: DisplayProps) => React.ReactNode): void {
  registryDisplay = render;
}
function FieldDisplayLazy(props: DisplayProps) {
  return <>{registryDisplay ? registryDisplay(props) : String(props.value ?? '')}</>;
}
