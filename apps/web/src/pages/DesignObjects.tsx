// @jsxRuntime automatic
/**
 * The designer for services, rules and resource types (design objects): a list, and an editor with the
 * labels in both languages, a rule's CEL condition, and the whole definition as JSON. Every change is
 * checked by the server as the user types (`?dryRun=true`, debounced); a rule can be test-run against a
 * sample record before it is saved.
 */
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { FieldError } from '../api/client.ts';
import { labelOf } from '../api/types.ts';
import { CelEditor } from '../designer/CelEditor.tsx';
import {
  checkObject,
  type Definition,
  deleteObject,
  errorsAt,
  layoutFor,
  listDefaultsFor,
  OBJECT_KINDS,
  type ObjectKind,
  objectKeys,
  type StoredObject,
  saveObject,
  templateOf,
  useObjects,
} from '../designer/objects.ts';
import { RuleTestRun } from '../designer/RuleTestRun.tsx';
import { useNav } from '../shell/navigation-context.ts';

const CHECK_DEBOUNCE_MS = 400;

export default function DesignObjects() {
  const { kind: param, name } = useParams();
  const kind: ObjectKind = (OBJECT_KINDS as string[]).includes(param ?? '')
    ? (param as ObjectKind)
    : 'service';
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const objects = useObjects(kind);
  const existing = name ? (objects.data?.find((o) => o.name === name) ?? null) : null;
  return (
    <Card title={t('objects.title')}>
      <Tabs
        activeKey={kind}
        onChange={(k) => navigate(`/designer/objects/${k}`)}
        items={OBJECT_KINDS.map((k) => ({ key: k, label: t(`objects.kinds.${k}`) }))}
      />
      <Row gutter={16}>
        <Col xs={24} md={7}>
          <Button block onClick={() => navigate(`/designer/objects/${kind}`)} style={{ marginBottom: 8 }}>
            + {t('objects.new')}
          </Button>
          {objects.error && <Alert type="error" title={objects.error.message} />}
          <List
            size="small"
            loading={objects.isLoading}
            dataSource={objects.data ?? []}
            renderItem={(o) => (
              <List.Item
                className={o.name === name ? 'tenon-selected' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => navigate(`/designer/objects/${kind}/${o.name}`)}
              >
                <span>
                  {labelOf(o.definition.label, i18n.language, o.name)}{' '}
                  <Typography.Text type="secondary">{o.name}</Typography.Text>
                </span>
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} md={17}>
          {objects.data && (
            <ObjectEditor
              key={`${kind}/${existing?.name ?? ''}/${existing?.version ?? 0}`}
              kind={kind}
              existing={existing}
            />
          )}
        </Col>
      </Row>
    </Card>
  );
}

function ObjectEditor({ kind, existing }: { kind: ObjectKind; existing: StoredObject | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [definition, setDefinition] = useState<Definition>(existing?.definition ?? templateOf(kind));
  const [text, setText] = useState(() => JSON.stringify(definition, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [checking, setChecking] = useState(false);
  const [saving, setSaving] = useState(false);

  // The server checks the definition as it is typed (debounced; only the latest answer counts).
  useEffect(() => {
    let live = true;
    setChecking(true);
    const timer = setTimeout(() => {
      checkObject({ kind, definition, existing })
        .then((found) => live && setErrors(found))
        .catch((err: Error) => live && setErrors([{ field: '', code: 'error', message: err.message }]))
        .finally(() => live && setChecking(false));
    }, CHECK_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [kind, definition, existing]);

  const update = (next: Definition) => {
    setDefinition(next);
    setText(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const label = (definition.label ?? {}) as { 'zh-CN'?: string; en?: string };
  const save = async () => {
    setSaving(true);
    try {
      const saved = await saveObject({ kind, definition, existing });
      await client.invalidateQueries({ queryKey: objectKeys.list(kind) });
      message.success(t('form.saved'));
      navigate(`/designer/objects/${kind}/${saved.name}`);
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    if (!existing) return;
    try {
      await deleteObject(kind, existing);
      await client.invalidateQueries({ queryKey: objectKeys.list(kind) });
      navigate(`/designer/objects/${kind}`);
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const general = errors.filter((e) => !e.field.startsWith('condition') && !e.field.startsWith('label'));

  return (
    <Form layout="vertical" component="div" className="tenon-object-editor">
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item label={t('designer.entityLabelZh')} htmlFor="object-label-zh">
            <Input
              id="object-label-zh"
              value={label['zh-CN'] ?? ''}
              onChange={(e) => update({ ...definition, label: { ...label, 'zh-CN': e.target.value } })}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item label={t('designer.entityLabelEn')} htmlFor="object-label-en">
            <Input
              id="object-label-en"
              value={label.en ?? ''}
              onChange={(e) => update({ ...definition, label: { ...label, en: e.target.value } })}
            />
          </Form.Item>
        </Col>
      </Row>
      {(kind === 'form' || kind === 'list') && !existing && (
        <Form.Item
          label={t(kind === 'form' ? 'objects.formEntity' : 'objects.listEntity')}
          htmlFor="object-entity"
        >
          <EntityPicker
            onPick={(entity) =>
              update({
                ...(kind === 'form' ? layoutFor(entity) : listDefaultsFor(entity)),
                label: definition.label,
              })
            }
          />
        </Form.Item>
      )}
      {kind === 'rule' && (
        <Form.Item label={t('objects.condition')} htmlFor="object-condition">
          <CelEditor
            id="object-condition"
            value={typeof definition.condition === 'string' ? definition.condition : ''}
            onChange={(condition) => {
              const { condition: _old, ...rest } = definition;
              update(condition ? { ...rest, condition } : rest);
            }}
            errors={errorsAt(errors, 'condition')}
            checking={checking}
          />
        </Form.Item>
      )}
      <Form.Item
        label={t('objects.definition')}
        htmlFor="object-json"
        validateStatus={jsonError ? 'error' : undefined}
        help={jsonError ?? undefined}
      >
        <Input.TextArea
          id="object-json"
          value={text}
          autoSize={{ minRows: 8, maxRows: 24 }}
          spellCheck={false}
          style={{ fontFamily: 'ui-monospace, monospace' }}
          onChange={(e) => {
            setText(e.target.value);
            try {
              const parsed: unknown = JSON.parse(e.target.value);
              if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
              setDefinition(parsed as Definition);
              setJsonError(null);
            } catch {
              setJsonError(t('objects.jsonInvalid'));
            }
          }}
        />
      </Form.Item>
      {!checking && general.length > 0 && (
        <Alert
          type="error"
          className="tenon-object-errors"
          title={general.map((e) => (
            <div key={`${e.field}:${e.message}`}>
              {e.field ? <code>{e.field}</code> : null} {e.message}
            </div>
          ))}
        />
      )}
      <Space style={{ margin: '12px 0' }}>
        <Button type="primary" onClick={save} loading={saving} disabled={jsonError !== null}>
          {t('form.save')}
        </Button>
        {existing && (
          <Popconfirm title={t('objects.confirmDelete')} onConfirm={remove}>
            <Button danger>{t('form.delete')}</Button>
          </Popconfirm>
        )}
      </Space>
      {kind === 'rule' && <RuleTestRun definition={definition} />}
    </Form>
  );
}

/** Starts a form layout from an entity: all its fields in one section, to split up in the JSON. */
function EntityPicker({
  onPick,
}: {
  onPick: (entity: { name: string; fields: { name: string; kind: string; hidden?: boolean }[] }) => void;
}) {
  const { i18n } = useTranslation();
  const nav = useNav();
  const entities = (nav?.entities ?? []).filter((e) => !e.childOf);
  return (
    <Select
      id="object-entity"
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%' }}
      options={entities.map((e) => ({ value: e.name, label: labelOf(e.label, i18n.language, e.name) }))}
      onChange={(name: string) => {
        const entity = entities.find((e) => e.name === name);
        if (entity) onPick(entity);
      }}
    />
  );
}
