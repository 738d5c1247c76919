// @jsxRuntime automatic
/**
 * The scanner field: kept focused, a scanner types the code and presses Enter; the code is handed up
 * and the field cleared. A message under it says what to scan next or what went wrong.
 */
import { Alert, Input, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type ScanMessage = { type: 'info' | 'success' | 'error'; text: string } | null;

export function ScanInput({
  onScan,
  prompt,
  message,
  disabled,
}: {
  onScan: (code: string) => void;
  prompt: string;
  message?: ScanMessage;
  disabled?: boolean;
}) {
  const { t } = useTranslation('ops');
  const ref = useRef<InputRef>(null);
  const [text, setText] = useState('');
  // Back to the scanner after each render, unless the user is typing in another field.
  useEffect(() => {
    const active = document.activeElement;
    const typing = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement;
    if (!disabled && !typing) ref.current?.focus();
  });
  return (
    <div className="tenon-scan">
      <Input
        ref={ref}
        size="large"
        autoFocus
        disabled={disabled}
        aria-label={t('common.scan')}
        data-testid="scan-input"
        placeholder={prompt}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={() => {
          const code = text.trim();
          setText('');
          if (code) onScan(code);
        }}
      />
      <div style={{ fontSize: 12, opacity: 0.6, margin: '4px 0' }}>{t('common.scanHint')}</div>
      {message && (
        <Alert type={message.type} showIcon message={message.text} data-testid="scan-message" role="status" />
      )}
    </div>
  );
}
