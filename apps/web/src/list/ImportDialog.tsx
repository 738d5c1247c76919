// @jsxRuntime automatic
/**
 * Import from CSV or Excel: a dry run first (row errors shown, nothing written), then the import, or
 * the import of the valid rows only, with the skipped rows downloadable as CSV.
 */
import { Alert, Button, Modal, Progress, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client.ts';
import { ApiError, api } from '../api/client.ts';

type Report = {
  total: number;
  valid: number;
  created?: number;
  invalid: { row: number; errors: FieldError[] }[];
};

export function ImportDialog({
  entity,
  open,
  onClose,
}: {
  entity: string;
  open: boolean;
  onClose: (imported: boolean) => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = async (dryRun: boolean, skipInvalid: boolean) => {
    if (!file) return;
    setError(null);
    setProgress(10);
    const form = new FormData();
    form.append('file', file);
    const timer = setInterval(() => setProgress((p) => Math.min(90, p + 10)), 300);
    try {
      const result = await api<Report>(
        `/api/v1/${entity}/_import?dryRun=${dryRun}&skipInvalid=${skipInvalid}`,
        {
          method: 'POST',
          body: form,
        },
      );
      setReport(result);
      if (!dryRun) setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    } finally {
      clearInterval(timer);
      setProgress(100);
    }
  };
  const downloadSkipped = () => {
    const lines = [
      'row,field,code,message',
      ...(report?.invalid ?? []).flatMap((r) =>
        r.errors.map((e) => [r.row, e.field, e.code, JSON.stringify(e.message)].join(',')),
      ),
    ];
    const url = URL.createObjectURL(new Blob([`\uFEFF${lines.join('\n')}`], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${entity}-skipped-rows.csv`;
    a.click();
  };
  return (
    <Modal
      open={open}
      title={t('list.import')}
      footer={null}
      onCancel={() => onClose(done)}
      destroyOnHidden
      width={720}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            setDone(false);
            return false;
          }}
        >
          <Button>{t('form.upload')}</Button>
        </Upload>
        {progress > 0 ? <Progress percent={progress} size="small" /> : null}
        {error ? <Alert type="error" message={error} /> : null}
        {report ? (
          <Alert
            type={report.invalid.length ? 'warning' : 'success'}
            message={`${report.total} / ${report.valid} ✓ / ${report.invalid.length} ✗${report.created !== undefined ? ` / ${report.created} +` : ''}`}
          />
        ) : null}
        {report?.invalid.length ? (
          <Table
            size="small"
            rowKey="row"
            pagination={{ pageSize: 5 }}
            dataSource={report.invalid}
            columns={[
              { title: '#', dataIndex: 'row', width: 60 },
              {
                title: '✗',
                render: (_: unknown, r: Report['invalid'][number]) =>
                  r.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
              },
            ]}
          />
        ) : null}
        <Space wrap>
          <Button disabled={!file} onClick={() => void run(true, false)}>
            {t('designer.preview')}
          </Button>
          <Button
            type="primary"
            disabled={!report || report.invalid.length > 0 || done}
            onClick={() => void run(false, false)}
          >
            {t('list.import')}
          </Button>
          <Button
            danger
            disabled={!report || report.invalid.length === 0 || done}
            onClick={() => void run(false, true)}
          >
            {t('list.importSkip')}
          </Button>
          <Button disabled={!report?.invalid.length} onClick={downloadSkipped}>
            {t('list.skippedRows')}
          </Button>
        </Space>
      </Space>
    </Modal>
  );
}
