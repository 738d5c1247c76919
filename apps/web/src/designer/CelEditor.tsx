// @jsxRuntime automatic
/** A CEL expression box: monospace, with the server's verdict as the user types (checking, valid, errors). */
import { Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client.ts';

export function CelEditor({
  value,
  onChange,
  errors,
  checking,
  id,
}: {
  value: string;
  onChange: (value: string) => void;
  /** The server's errors for this expression (already narrowed to its path). */
  errors: FieldError[];
  checking: boolean;
  id?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="tenon-cel">
      <Input.TextArea
        id={id}
        aria-label={t('objects.condition')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoSize={{ minRows: 2, maxRows: 8 }}
        spellCheck={false}
        status={errors.length ? 'error' : undefined}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
        placeholder="record.total >= decimal('10000.00')"
      />
      <div className="tenon-cel-status" aria-live="polite">
        {checking ? (
          <Typography.Text type="secondary">{t('objects.checking')}</Typography.Text>
        ) : errors.length ? (
          errors.map((e) => (
            <Typography.Text key={`${e.field}:${e.message}`} type="danger" style={{ display: 'block' }}>
              {e.message}
            </Typography.Text>
          ))
        ) : (
          <Typography.Text type="success">✓ {t('objects.valid')}</Typography.Text>
        )}
      </div>
    </div>
  );
}
