// @jsxRuntime automatic
/**
 * One record: detail and edit (or a new record), with client validation, server field errors at their
 * fields, a conflict dialog on 412, the history timeline and related records.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Modal, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, type FieldError } from '../api/client.ts';
import { meKeys, runRecordAction, usePreferences, useRecordActions } from '../api/me.ts';
import {
  createRecord,
  deleteRecord,
  getRecord,
  openDocument,
  recordKeys,
  updateRecord,
} from '../api/records.ts';
import { useRecordSchemas } from '../api/schemas.ts';
import { labelOf, type RecordData } from '../api/types.ts';
import { titleOf } from '../fields/context.ts';
import { FieldDisplay } from '../fields/registry.tsx';
import { groupFields, useFormLayout } from '../form/layout.ts';
import { Grouped, RecordForm } from '../form/RecordForm.tsx';
import { changedOnly, toBody } from '../form/record-values.ts';
import { type Schema, validateSchema } from '../form/validate-schema.ts';
import { History } from '../record/History.tsx';
import { Related } from '../record/Related.tsx';
import { useEntity, useNav } from '../shell/navigation-context.ts';
import { rememberRecent } from '../shell/recent.ts';

/** A fresh page state per record (after a create navigates to the new id, the form is left). */
export default function RecordRoute() {
  const { entity, id } = useParams();
  return <RecordPage key={`${entity}/${id}`} />;
}

function RecordPage() {
  const { entity: name = '', id = 'new' } = useParams();
  const entity = useEntity(name);
  const nav = useNav();
  const isNew = id === 'new';
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const schemas = useRecordSchemas();
  const expand = (entity?.fields ?? [])
    .filter((f) => ['link', 'children', 'multi_link'].includes(f.kind))
    .map((f) => f.name);
  const record = useQuery({
    queryKey: recordKeys.one(name, id),
    queryFn: () => getRecord(name, id, expand),
    enabled: !!entity && !isNew,
  });
  const [editing, setEditing] = useState(isNew);
  const [values, setValues] = useState<RecordData | null>(isNew ? {} : null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const layout = useFormLayout(entity?.name);
  const preferences = usePreferences();
  const actions = useRecordActions(name, id, !isNew && !!entity?.actions?.length);
  const [acting, setActing] = useState<string | null>(null);
  const userId = nav?.user.id;
  // A new record's company links start at the company chosen in the header.
  const companyId = preferences.data?.company?.companyId;
  const companyLinks = isNew
    ? (entity?.fields ?? []).filter((f) => f.kind === 'link' && f.target === 'company').map((f) => f.name)
    : [];
  const company = useQuery({
    queryKey: recordKeys.one('company', companyId ?? ''),
    queryFn: () => getRecord('company', companyId ?? ''),
    enabled: companyLinks.length > 0 && !!companyId,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: once the company is known; the links follow the entity
  useEffect(() => {
    if (!company.data || companyLinks.length === 0) return;
    const chosen = company.data;
    setValues((v) => ({
      ...Object.fromEntries(companyLinks.map((n) => [n, chosen])),
      ...Object.fromEntries(Object.entries(v ?? {}).filter(([, x]) => x !== undefined && x !== null)),
    }));
  }, [company.data]);
  useEffect(() => {
    if (userId && entity && record.data && !isNew) {
      rememberRecent(userId, { entity: entity.name, id, title: titleOf(record.data, entity) });
    }
  }, [userId, entity, record.data, isNew, id]);
  if (!entity || !nav) return <Spin />;
  if (!isNew && !record.data) return record.error ? <Card>{record.error.message}</Card> : <Spin />;
  const lookup = (n: string) => nav.entities.find((e) => e.name === n);
  const current = values ?? record.data ?? {};
  const title = labelOf(entity.label, i18n.language, entity.name);

  const save = async () => {
    const body = toBody(entity, current, lookup);
    const payload = isNew ? body : changedOnly(body, toBody(entity, record.data ?? {}, lookup));
    const all = schemas.data ?? {};
    const schema = all[`${entity.name}_${isNew ? 'create' : 'update'}`];
    const resolve = (ref: string) => all[ref.replace('#/components/schemas/', '')] as Schema | undefined;
    const found = schema ? validateSchema(schema, payload, '', resolve) : [];
    setErrors(found);
    if (found.length > 0) return;
    setSaving(true);
    try {
      if (isNew) {
        const created = await createRecord(entity.name, payload);
        message.success(t('form.created'));
        navigate(`/data/${entity.name}/${created.id}`, { replace: true });
      } else {
        await updateRecord(entity.name, id, Number(record.data?.version), payload);
        message.success(t('form.saved'));
        setEditing(false);
        setValues(null);
        await queryClient.invalidateQueries({ queryKey: recordKeys.all(entity.name) });
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setConflict(true);
      else if (err instanceof ApiError && err.details.length) setErrors(err.details);
      else message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const act = async (action: string, label: string) => {
    setActing(action);
    try {
      await runRecordAction(entity.name, id, action);
      message.success(t('actions.done', { action: label }));
      await queryClient.invalidateQueries({ queryKey: recordKeys.all(entity.name) });
      await queryClient.invalidateQueries({ queryKey: meKeys.actions(entity.name, id) });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setActing(null);
    }
  };

  const reload = async () => {
    setConflict(false);
    setValues(null);
    setEditing(false);
    await record.refetch();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={`${title}${isNew ? ` · ${t('list.new')}` : ''}`}
        extra={
          <Space wrap>
            {editing ? (
              <>
                <Button type="primary" loading={saving} onClick={() => void save()}>
                  {t('form.save')}
                </Button>
                <Button
                  onClick={() => {
                    if (isNew) return navigate(-1);
                    setEditing(false);
                    setValues(null);
                    setErrors([]);
                  }}
                >
                  {t('form.cancel')}
                </Button>
              </>
            ) : (
              <>
                {(actions.data ?? [])
                  .filter((a) => a.allowed)
                  .map((a) => {
                    const label = labelOf(a.label, i18n.language, a.name);
                    return (
                      <Button
                        key={a.name}
                        className="tenon-action"
                        loading={acting === a.name}
                        disabled={acting !== null}
                        onClick={() => void act(a.name, label)}
                      >
                        {label}
                      </Button>
                    );
                  })}
                {(entity.documents ?? []).map((d) => (
                  <Button
                    key={d.name}
                    className="tenon-document"
                    icon={<PrinterOutlined />}
                    onClick={() => void openDocument(d.path, id)}
                  >
                    {labelOf(d.label, i18n.language, d.name)}
                  </Button>
                ))}
                {entity.can.update ? (
                  <Button
                    type="primary"
                    onClick={() => {
                      setValues(record.data ?? {});
                      setEditing(true);
                    }}
                  >
                    {t('form.edit')}
                  </Button>
                ) : null}
                {entity.can.delete ? (
                  <Button
                    danger
                    onClick={async () => {
                      await deleteRecord(entity.name, id);
                      await queryClient.invalidateQueries({ queryKey: recordKeys.all(entity.name) });
                      navigate(`/data/${entity.name}`);
                    }}
                  >
                    {t('form.delete')}
                  </Button>
                ) : null}
              </>
            )}
          </Space>
        }
      >
        {editing ? (
          <RecordForm
            entity={entity}
            values={current}
            errors={errors}
            readOnlyFields={entity.readOnlyFields}
            layout={layout.data}
            onChange={setValues}
          />
        ) : (
          <Grouped
            groups={groupFields(entity.fields, layout.data)}
            style={layout.data?.style}
            render={(g) => (
              <Descriptions
                bordered
                size="small"
                column={g.columns ? { xs: 1, sm: 1, md: g.columns } : { xs: 1, sm: 1, md: 2, lg: 3 }}
              >
                {g.fields.map((f) => (
                  <Descriptions.Item
                    key={f.name}
                    label={labelOf(f.label, i18n.language, f.name)}
                    span={f.kind === 'children' ? 'filled' : 1}
                  >
                    <FieldDisplay field={f} value={current[f.name]} record={current} />
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          />
        )}
      </Card>
      {!isNew ? <Related entity={entity.name} id={id} /> : null}
      {!isNew ? <History entity={entity.name} id={id} /> : null}
      <Modal
        open={conflict}
        title={t('form.conflictTitle')}
        onOk={() => void reload()}
        okText={t('form.reload')}
        onCancel={() => setConflict(false)}
        cancelText={t('form.cancel')}
      >
        {t('form.conflictBody')}
      </Modal>
    </Space>
  );
}
