// @jsxRuntime automatic
/**
 * The tenant's users, for its administrators (`$security`): add a user (a one-time password shown
 * once), give and take roles, disable and enable, reset a forgotten password (the account unlocked and
 * every session of the user ended at once).
 */
import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';
import {
  type ActivityEntry,
  type Member,
  type OneTimePassword,
  useActivity,
  useCreateMember,
  useMembers,
  useResetPassword,
  useRoles,
  useUpdateMember,
} from '../api/security.ts';
import { labelOf } from '../api/types.ts';
import { formatInstant } from '../fields/time-zone.ts';
import { useNav } from '../shell/navigation-context.ts';

export default function Users() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const nav = useNav();
  const members = useMembers();
  const roles = useRoles();
  const reset = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [shown, setShown] = useState<OneTimePassword | null>(null);
  const [watching, setWatching] = useState<Member | null>(null);
  const roleLabel = (name: string) =>
    labelOf(roles.data?.find((r) => r.name === name)?.label, i18n.language, name);
  const roleOptions = (roles.data ?? []).map((r) => ({
    value: r.name,
    label: labelOf(r.label, i18n.language, r.name),
  }));
  return (
    <Card
      title={t('admin.users')}
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.newUser')}
        </Button>
      }
    >
      <Table<Member>
        rowKey="id"
        loading={members.isLoading}
        dataSource={members.data ?? []}
        pagination={false}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'display_name' },
          {
            title: t('admin.roles'),
            dataIndex: 'roles',
            render: (names: string[]) => names.map((r) => <Tag key={r}>{roleLabel(r)}</Tag>),
          },
          {
            title: t('admin.status'),
            dataIndex: 'disabled',
            render: (disabled: boolean) =>
              disabled ? (
                <Tag color="red">{t('admin.disabled')}</Tag>
              ) : (
                <Tag color="green">{t('admin.active')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            key: 'actions',
            render: (_: unknown, member) => (
              <Space>
                <Button size="small" onClick={() => setEditing(member)}>
                  {t('admin.edit')}
                </Button>
                <Button size="small" onClick={() => setWatching(member)}>
                  {t('admin.activity')}
                </Button>
                <Popconfirm
                  title={t('admin.resetConfirm', { username: member.username })}
                  okText={t('admin.resetPassword')}
                  onConfirm={async () => {
                    try {
                      setShown(await reset.mutateAsync(member.id));
                    } catch (err) {
                      message.error(errorText(err));
                    }
                  }}
                >
                  <Button size="small" disabled={member.id === nav?.user.id}>
                    {t('admin.resetPassword')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <NewUserDialog
        open={creating}
        roleOptions={roleOptions}
        onClose={() => setCreating(false)}
        onCreated={(created) => {
          setCreating(false);
          setShown(created);
        }}
      />
      <EditUserDialog member={editing} roleOptions={roleOptions} onClose={() => setEditing(null)} />
      <ActivityDrawer member={watching} onClose={() => setWatching(null)} />
      <Modal
        open={shown !== null}
        title={t('admin.oneTimeTitle', { username: shown?.username ?? '' })}
        onOk={() => setShown(null)}
        onCancel={() => setShown(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        // The password leaves the page with the dialog.
        destroyOnHidden
      >
        <Typography.Paragraph>{t('admin.oneTimeHint')}</Typography.Paragraph>
        <Typography.Paragraph copyable code className="tenon-one-time-password">
          {shown?.oneTimePassword}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

type RoleOption = { value: string; label: string };

function NewUserDialog(props: {
  open: boolean;
  roleOptions: RoleOption[];
  onClose: () => void;
  onCreated: (created: OneTimePassword) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ username: string; displayName?: string; roles: string[] }>();
  const create = useCreateMember();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    setError(null);
    try {
      const created = await create.mutateAsync({
        username: values.username.trim(),
        roles: values.roles ?? [],
        ...(values.displayName?.trim() ? { displayName: values.displayName.trim() } : {}),
      });
      form.resetFields();
      props.onCreated(created);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal
      open={props.open}
      title={t('admin.newUser')}
      okText={t('admin.create')}
      confirmLoading={create.isPending}
      onOk={submit}
      onCancel={() => {
        setError(null);
        props.onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="username"
          label={t('admin.username')}
          rules={[{ required: true, whitespace: true, min: 2, max: 64 }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ max: 120 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.roles')} initialValue={[]}>
          <Select mode="multiple" options={props.roleOptions} aria-label={t('admin.roles')} />
        </Form.Item>
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Modal>
  );
}

function EditUserDialog(props: { member: Member | null; roleOptions: RoleOption[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateMember();
  const nav = useNav();
  const [form] = Form.useForm<{ roles: string[]; enabled: boolean }>();
  const member = props.member;
  const submit = async () => {
    if (!member) return;
    const values = await form.validateFields();
    try {
      await update.mutateAsync({ id: member.id, roles: values.roles, disabled: !values.enabled });
      message.success(t('admin.saved'));
      props.onClose();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Modal
      open={member !== null}
      title={t('admin.editUser', { username: member?.username ?? '' })}
      okText={t('admin.save')}
      confirmLoading={update.isPending}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {member && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ roles: member.roles, enabled: !member.disabled }}
        >
          <Form.Item name="roles" label={t('admin.roles')}>
            <Select mode="multiple" options={props.roleOptions} aria-label={t('admin.roles')} />
          </Form.Item>
          <Form.Item name="enabled" label={t('admin.enabled')} valuePropName="checked">
            {/* One cannot lock oneself out from here. */}
            <Switch disabled={member.id === nav?.user.id} aria-label={t('admin.enabled')} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** A user's activity, newest first: sign-ins (failed ones too), sign-outs, resets, record changes. */
function ActivityDrawer({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const activity = useActivity(member?.id ?? null);
  const nav = useNav();
  const entityLabel = (name: string | null) => {
    const entity = name ? nav?.entities.find((e) => e.name === name) : undefined;
    return entity ? labelOf(entity.label, i18n.language, entity.name) : (name ?? '');
  };
  return (
    <Drawer
      open={member !== null}
      width={760}
      title={t('admin.activityOf', { username: member?.username ?? '' })}
      onClose={onClose}
      destroyOnHidden
    >
      <Table<ActivityEntry>
        rowKey="id"
        size="small"
        className="tenon-activity"
        loading={activity.isLoading}
        dataSource={activity.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('admin.when'), dataIndex: 'at', render: (v: string) => formatInstant(v, i18n.language) },
          {
            title: t('admin.what'),
            dataIndex: 'action',
            render: (action: string) => t(`admin.events.${action}`, { defaultValue: action }),
          },
          { title: t('admin.object'), dataIndex: 'entity', render: entityLabel },
          { title: t('account.ip'), dataIndex: 'ip' },
        ]}
      />
    </Drawer>
  );
}
