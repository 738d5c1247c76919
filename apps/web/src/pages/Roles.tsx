// @jsxRuntime automatic
/**
 * The tenant's roles, for its administrators: a list, and an editor with the names in both languages
 * and a matrix of what the role may do (every entity, each platform resource and `*` for all entities;
 * read, create, update, delete, export, import, or `*` for every action). Row conditions and field
 * restrictions the matrix cannot show are kept unchanged, and shown. The built-in 管理员 (admin) role
 * may do everything and is not edited.
 */
import { Alert, App, Button, Card, Checkbox, Drawer, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fromMatrix,
  MATRIX_ACTIONS,
  type MatrixAction,
  PLATFORM_RESOURCES,
  type RoleMatrix,
  toggle,
  toMatrix,
} from '../admin/role-matrix.ts';
import { errorText } from '../api/client.ts';
import { type Role, useCreateRole, useRoles, useSaveRole } from '../api/security.ts';
import { labelOf } from '../api/types.ts';
import { useNav } from '../shell/navigation-context.ts';

const ADMIN = 'admin';
const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

export default function Roles() {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  return (
    <Card
      title={t('admin.roleList')}
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('admin.newRole')}
        </Button>
      }
    >
      <Table<Role>
        rowKey="name"
        loading={roles.isLoading}
        dataSource={roles.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.roleLabel'), render: (_: unknown, r) => labelOf(r.label, i18n.language, r.name) },
          { title: t('admin.roleName'), dataIndex: 'name' },
          { title: t('admin.description'), dataIndex: 'description' },
          {
            title: t('admin.actions'),
            key: 'actions',
            render: (_: unknown, r) =>
              r.name === ADMIN ? (
                <Tag>{t('admin.builtIn')}</Tag>
              ) : (
                <Button size="small" onClick={() => setEditing(r)}>
                  {t('admin.edit')}
                </Button>
              ),
          },
        ]}
      />
      {editing && <RoleEditor role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

type Header = { name?: string; zh: string; en: string; description?: string };

function RoleEditor({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const nav = useNav();
  const save = useSaveRole();
  const create = useCreateRole();
  const [form] = Form.useForm<Header>();
  const [matrix, setMatrix] = useState<RoleMatrix>(() => toMatrix(role?.permissions ?? []));
  const [error, setError] = useState<string | null>(null);
  // Rows: every entity, the platform resources, the entities the role names but this user cannot see.
  const entities = (nav?.entities ?? []).filter((e) => !e.childOf);
  const rows = [
    { key: '*', label: t('admin.allEntities') },
    ...PLATFORM_RESOURCES.map((r) => ({ key: r, label: t(`admin.platform.${r.slice(1)}`) })),
    ...entities.map((e) => ({ key: e.name, label: labelOf(e.label, i18n.language, e.name) })),
    ...Object.keys(matrix.grants)
      .filter((k) => k !== '*' && !k.startsWith('$') && !entities.some((e) => e.name === k))
      .map((k) => ({ key: k, label: k })),
  ];
  const submit = async () => {
    const header = await form.validateFields();
    setError(null);
    try {
      const definition = {
        label: { 'zh-CN': header.zh.trim(), en: header.en?.trim() || header.zh.trim() },
        ...(header.description?.trim() ? { description: header.description.trim() } : {}),
        permissions: fromMatrix(matrix),
      };
      // A new role without an identifier gets one from its Chinese name (pinyin).
      if (role) await save.mutateAsync({ name: role.name, ...definition });
      else
        await create.mutateAsync({
          ...definition,
          ...(header.name?.trim() ? { name: header.name.trim() } : {}),
        });
      message.success(t('admin.saved'));
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Drawer
      open
      width={820}
      title={
        role
          ? t('admin.editRole', { role: labelOf(role.label, i18n.language, role.name) })
          : t('admin.newRole')
      }
      onClose={onClose}
      extra={
        <Space>
          <Button onClick={onClose}>{t('admin.cancel')}</Button>
          <Button type="primary" loading={save.isPending || create.isPending} onClick={submit}>
            {t('admin.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: role?.name ?? '',
          zh: role?.label['zh-CN'] ?? '',
          en: role?.label.en ?? '',
          description: role?.description ?? '',
        }}
      >
        <Space align="start" wrap>
          <Form.Item
            name="zh"
            label={t('admin.labelZh')}
            rules={[{ required: true, whitespace: true, max: 60 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="en" label={t('admin.labelEn')} rules={[{ max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('admin.roleName')}
            tooltip={t('admin.roleNameHint')}
            rules={[
              { pattern: IDENTIFIER, message: t('admin.roleNameHint') },
              { validator: async (_, v) => (v === ADMIN ? Promise.reject(t('admin.builtIn')) : undefined) },
            ]}
          >
            <Input disabled={role !== null} placeholder={role ? undefined : t('admin.roleNameAuto')} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('admin.description')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('admin.resource'), dataIndex: 'label' },
          ...MATRIX_ACTIONS.map((action: MatrixAction) => ({
            title: t(`admin.action.${action === '*' ? 'all' : action}`),
            key: action,
            align: 'center' as const,
            render: (_: unknown, row: { key: string; label: string }) => {
              const granted = matrix.grants[row.key] ?? [];
              const all = granted.includes('*');
              return (
                <Checkbox
                  aria-label={`${row.label} ${t(`admin.action.${action === '*' ? 'all' : action}`)}`}
                  checked={granted.includes(action) || (all && action !== '*')}
                  disabled={all && action !== '*'}
                  onChange={(e) => setMatrix((m) => toggle(m, row.key, action, e.target.checked))}
                />
              );
            },
          })),
        ]}
      />
      {matrix.kept.length > 0 && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
            {t('admin.kept')}
          </Typography.Paragraph>
          <Typography.Paragraph code>{JSON.stringify(matrix.kept, null, 1)}</Typography.Paragraph>
        </>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
    </Drawer>
  );
}
