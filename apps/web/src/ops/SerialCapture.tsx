// @jsxRuntime automatic
/**
 * Serial capture for a serial-tracked item: one scan per unit into the scan field; a serial scanned
 * twice is refused on the spot (the server also refuses serials already in stock). The quantity is
 * the number of serials; each can be taken back before receiving.
 */
import { Button, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ScanInput } from './ScanInput.tsx';
import { useScanFeedback } from './useScanFeedback.ts';

export function SerialCapture({
  serials,
  onChange,
}: {
  serials: string[];
  onChange: (next: string[]) => void;
}) {
  const { t } = useTranslation('ops');
  const { message, setMessage, fail } = useScanFeedback();
  const onScan = (code: string) => {
    if (serials.includes(code)) return fail(t('receive.serialTwice', { serial: code }));
    onChange([...serials, code]);
    setMessage({ type: 'info', text: t('receive.serialCount', { n: serials.length + 1 }) });
  };
  return (
    <>
      <ScanInput prompt={t('receive.scanSerial')} onScan={onScan} message={message} />
      <Typography.Text strong data-testid="serial-count">
        {t('receive.serialCount', { n: serials.length })}
      </Typography.Text>
      <List
        size="small"
        dataSource={serials}
        renderItem={(serial) => (
          <List.Item
            extra={
              <Button size="small" onClick={() => onChange(serials.filter((x) => x !== serial))}>
                ×
              </Button>
            }
          >
            {serial}
          </List.Item>
        )}
      />
    </>
  );
}
