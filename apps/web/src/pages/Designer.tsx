// @jsxRuntime automatic
/**
 * The designer: create and edit entities and their fields (Chinese names welcome), preview the DDL
 * plan, confirm destructive changes, and export/import definition packages (JSON).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Input, List, Modal, Row, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api, errorText } from '../api/client.ts';
import { navigationKeys } from '../api/navigation.ts';
import { type EntityDef, labelOf } from '../api/types.ts';
import { type EntityDraft, fromDefinition, newField, toDefinitions } from '../designer/draft.ts';
import { FieldRows } from '../designer/FieldRows.tsx';

type Step = { entity: string; op: string; description: string; destructive: boolean; sql: string[] };
type ApplyResult = { applied: boolean; plan: Step[] };

const EMPTY: EntityDraft = { name: '', zh: '', en: '', fields: [newField()], existing: false };

export default function Designer() {
  const { entity: editing } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const defs = useQuery({
    queryKey: ['meta', 'entities'],
    queryFn: async () => (await api<{ items: EntityDef[] }>('/api/v1/meta/entities')).items,
  });
  const all = defs.data ?? [];
  const [draft, setDraft] = useState<EntityDraft>(EMPTY);
  const [loaded, setLoaded] = useState<string | undefined>(undefined);
  const [plan, setPlan] = useState<Step[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (editing !== loaded && defs.data) {
    const def = all.find((d) => d.name === editing);
    setDraft(def ? fromDefinition(def, all) : EMPTY);
    setLoaded(editing);
    setPlan(null);
    setError(null);
  }
  const send = async (dryRun: boolean, confirm: boolean): Promise<ApplyResult[]> => {
    const flags = `?dryRun=${dryRun}&confirm=${confirm}`;
    const results: ApplyResult[] = [];
    const newOnes = toDefinitions(draft).filter((d) => !all.some((e) => e.name === d.name));
    if (newOnes.length)
      results.push(
        await api<ApplyResult>(`/api/v1/meta/entities${flags}`, { method: 'POST', body: newOnes }),
      );
    for (const d of toDefinitions(draft).filter((x) => all.some((e) => e.name === x.name))) {
      results.push(
        await api<ApplyResult>(`/api/v1/meta/entities/${String(d.name)}${flags}`, {
          method: 'PATCH',
          body: d,
        }),
      );
    }
    return results;
  };
  const preview = async () => {
    setError(null);
    try {
      setPlan((await send(true, false)).flatMap((r) => r.plan));
    } catch (err) {
      setPlan(null);
      setError(errorText(err));
    }
  };
  const apply = async () => {
    const destructive = (plan ?? []).some((s) => s.destructive);
    const go = async () => {
      try {
        await send(false, destructive);
        message.success(t('designer.applied'));
        await queryClient.invalidateQueries({ queryKey: ['meta'] });
        await queryClient.invalidateQueries({ queryKey: navigationKeys.all });
        await queryClient.invalidateQueries({ queryKey: ['openapi'] });
        setPlan(null);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      }
    };
    if (destructive) Modal.confirm({ title: t('designer.destructive'), okType: 'danger', onOk: go });
    else await go();
  };
  const exportPackage = () => {
    const custom = all.filter((d) => d.source !== 'module');
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(custom, null, 2)], { type: 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = 'tenon-definitions.json';
    a.click();
  };
  const importPackage = async (file: File) => {
    try {
      const body = JSON.parse(await file.text()) as Record<string, unknown>[];
      const fresh = body
        .filter((d) => !all.some((e) => e.name === d.name))
        .map(({ version, source, updatedAt, updatedBy, ...d }) => d);
      if (fresh.length) await api('/api/v1/meta/entities', { method: 'POST', body: fresh });
      await queryClient.invalidateQueries({ queryKey: ['meta'] });
      await queryClient.invalidateQueries({ queryKey: navigationKeys.all });
      message.success(t('designer.applied'));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={6}>
        <Card size="small" title={t('designer.title')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button type="primary" block onClick={() => navigate('/designer')}>
              {t('designer.newEntity')}
            </Button>
            <Space wrap>
              <Button size="small" onClick={exportPackage}>
                {t('designer.exportPkg')}
              </Button>
              <Upload
                accept=".json"
                showUploadList={false}
                beforeUpload={(f) => {
                  void importPackage(f);
                  return false;
                }}
              >
                <Button size="small">{t('designer.importPkg')}</Button>
              </Upload>
            </Space>
            <List
              size="small"
              dataSource={all.filter((d) => !d.childOf)}
              renderItem={(d) => (
                <List.Item onClick={() => navigate(`/designer/${d.name}`)} style={{ cursor: 'pointer' }}>
                  {labelOf(d.label, i18n.language, d.name)}{' '}
                  <Typography.Text type="secondary">{d.name}</Typography.Text>
                </List.Item>
              )}
            />
          </Space>
        </Card>
      </Col>
      <Col xs={24} md={18}>
        <Card
          size="small"
          title={
            draft.existing
              ? labelOf({ 'zh-CN': draft.zh, en: draft.en }, i18n.language, draft.name)
              : t('designer.newEntity')
          }
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Input
                aria-label={t('designer.entityLabelZh')}
                placeholder={t('designer.entityLabelZh')}
                value={draft.zh}
                onChange={(e) => setDraft({ ...draft, zh: e.target.value })}
              />
              <Input
                aria-label={t('designer.entityLabelEn')}
                placeholder={t('designer.entityLabelEn')}
                value={draft.en}
                onChange={(e) => setDraft({ ...draft, en: e.target.value })}
              />
              <Input
                aria-label="entity name"
                placeholder="name"
                disabled={draft.existing}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value.trim() })}
              />
            </Space>
            <Typography.Text strong>{t('designer.fields')}</Typography.Text>
            <FieldRows
              fields={draft.fields}
              entities={all}
              onChange={(fields) => setDraft({ ...draft, fields })}
            />
            {error ? <Alert type="error" message={error} /> : null}
            <Space>
              <Button onClick={() => void preview()}>{t('designer.preview')}</Button>
              <Button type="primary" disabled={!plan} onClick={() => void apply()}>
                {t('designer.apply')}
              </Button>
            </Space>
            {plan ? (
              <Card size="small" title={t('designer.plan')} className="tenon-plan">
                {plan.map((s) => (
                  <div key={`${s.entity}-${s.op}-${s.description}`}>
                    <Typography.Text type={s.destructive ? 'danger' : undefined}>
                      {s.description}
                    </Typography.Text>
                    <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{s.sql.join('\n')}</pre>
                  </div>
                ))}
              </Card>
            ) : null}
          </Space>
        </Card>
      </Col>
    </Row>
  );
}
