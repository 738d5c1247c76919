// @jsxRuntime automatic
/** Test-runs a rule (as edited, not saved) against a sample record: matched, condition, planned steps. */
import { Alert, Button, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Definition, type DryRunResult, dryRun } from './objects.ts';

export function RuleTestRun({ definition }: { definition: Definition }) {
  const { t } = useTranslation();
  const [sample, setSample] = useState('{\n  \n}');
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setError(null);
    setResult(null);
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(sample);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      record = parsed as Record<string, unknown>;
    } catch {
      setError(t('objects.sampleInvalid'));
      return;
    }
    setRunning(true);
    try {
      setResult(await dryRun(definition, record));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} className="tenon-test-run">
      <Typography.Text strong>{t('objects.testRun')}</Typography.Text>
      <Input.TextArea
        aria-label={t('objects.sample')}
        value={sample}
        onChange={(e) => setSample(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        spellCheck={false}
        style={{ fontFamily: 'ui-monospace, monospace' }}
      />
      <Button onClick={run} loading={running} className="tenon-run">
        {t('objects.run')}
      </Button>
      {error && <Alert type="error" title={error} />}
      {result && (
        <div className="tenon-test-result">
          <Space wrap>
            <Tag
              color={result.matched && result.condition === true ? 'green' : 'default'}
              className="tenon-verdict"
            >
              {result.matched && result.condition === true ? t('objects.wouldRun') : t('objects.wouldNotRun')}
            </Tag>
            <Tag color={result.matched ? 'green' : 'default'}>
              {result.matched ? t('objects.matched') : t('objects.notMatched')}
            </Tag>
            <Tag
              color={result.condition === true ? 'green' : result.condition === 'error' ? 'red' : 'default'}
            >
              {t('objects.conditionIs')}: {String(result.condition)}
            </Tag>
          </Space>
          {result.conditionError && <Typography.Text type="danger">{result.conditionError}</Typography.Text>}
          <pre className="tenon-json">{JSON.stringify(result.instructions, null, 2)}</pre>
        </div>
      )}
    </Space>
  );
}
