// @jsxRuntime automatic
/**
 * My account: change the password (every session ends, this one too: sign in again), see my
 * sessions and end the others, and keep API tokens for integrations (a new token is shown once).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, changePassword, errorText, type Page, signOut } from '../api/client.ts';
import { formatInstant } from '../fields/time-zone.ts';

type Session = {
  id: string;
  tenant: string;
  started_at: string;
  last_used_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
};
type ApiToken = {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

const keys = {
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
  mfa: ['account', 'mfa'] as const,
};

export default function Account() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <PasswordCard />
      <MfaCard />
      <SessionsCard />
      <TokensCard />
    </Space>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ current: string; password: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { current: string; password: string; confirm: string }) => {
    setError(null);
    if (values.password !== values.confirm) return setError(t('login.mismatch'));
    setBusy(true);
    try {
      await changePassword(values.current, values.password);
      // Every session of the user ended with the change: sign in again with the new password.
      await signOut();
      window.location.assign('/');
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Card title={t('account.password')}>
      <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }} name="account-password">
        <Form.Item name="current" label={t('account.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="password" label={t('login.newPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('login.confirmPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('account.passwordHint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

/**
 * Two-step sign-in with an authenticator app (TOTP): switched on with the key (typed into the app,
 * or its otpauth link) and a first code, which returns ten recovery codes shown once; switched off
 * with the password.
 */
function MfaCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({
    queryKey: keys.mfa,
    queryFn: () => api<{ enabled: boolean; recoveryCodesLeft: number }>('/api/v1/auth/mfa'),
  });
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string; qrSvg: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attempt = async (call: () => Promise<void>) => {
    setError(null);
    try {
      await call();
      await client.invalidateQueries({ queryKey: keys.mfa });
    } catch (err) {
      setError(errorText(err));
    }
  };
  const start = () =>
    attempt(async () => {
      setEnrolment(
        await api<{ secret: string; uri: string; qrSvg: string }>('/api/v1/auth/mfa/setup', {
          method: 'POST',
        }),
      );
    });
  const confirm = (values: { code: string }) =>
    attempt(async () => {
      const done = await api<{ recoveryCodes: string[] }>('/api/v1/auth/mfa/confirm', {
        method: 'POST',
        body: { code: values.code.trim() },
      });
      setEnrolment(null);
      setRecoveryCodes(done.recoveryCodes);
    });
  const disable = (values: { password: string }) =>
    attempt(async () => {
      await api('/api/v1/auth/mfa/disable', { method: 'POST', body: { password: values.password } });
    });
  const on = status.data?.enabled === true;
  return (
    <Card title={t('account.mfa')} loading={status.isLoading}>
      {on ? (
        <>
          <Typography.Paragraph>
            <Tag color="green">{t('account.mfaOn')}</Tag>
            {t('account.mfaCodesLeft', { count: status.data?.recoveryCodesLeft ?? 0 })}
          </Typography.Paragraph>
          <Form layout="inline" onFinish={disable} name="mfa-disable">
            <Form.Item name="password" label={t('account.currentPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button htmlType="submit" danger>
              {t('account.mfaDisable')}
            </Button>
          </Form>
        </>
      ) : enrolment ? (
        <>
          <Typography.Paragraph>{t('account.mfaKeyHint')}</Typography.Paragraph>
          <img
            className="tenon-mfa-qr"
            alt={t('account.mfaQr')}
            width={180}
            height={180}
            // A white quiet zone around the code, whatever the theme: scanners need it.
            style={{ background: '#fff', padding: 12, boxSizing: 'content-box' }}
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
          />
          <Typography.Paragraph copyable={{ text: enrolment.secret }} code className="tenon-mfa-secret">
            {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </Typography.Paragraph>
          <Typography.Paragraph>
            <a href={enrolment.uri}>{t('account.mfaLink')}</a>
          </Typography.Paragraph>
          <Form layout="inline" onFinish={confirm} name="mfa-confirm">
            <Form.Item
              name="code"
              label={t('login.code')}
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.codeHint') }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" style={{ width: 120 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('account.mfaConfirm')}
            </Button>
          </Form>
        </>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('account.mfaHint')}</Typography.Paragraph>
          <Button onClick={start}>{t('account.mfaEnable')}</Button>
        </>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
      <Modal
        open={recoveryCodes !== null}
        title={t('account.recoveryCodes')}
        onOk={() => setRecoveryCodes(null)}
        onCancel={() => setRecoveryCodes(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('account.recoveryHint')}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: (recoveryCodes ?? []).join('\n') }}>
          <pre className="tenon-recovery-codes">{(recoveryCodes ?? []).join('\n')}</pre>
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function SessionsCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const sessions = useQuery({
    queryKey: keys.sessions,
    queryFn: async () => (await api<Page<Session>>('/api/v1/auth/sessions')).items,
  });
  const end = async (id: string) => {
    try {
      await api(`/api/v1/auth/sessions/${id}`, { method: 'DELETE' });
      await client.invalidateQueries({ queryKey: keys.sessions });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card title={t('account.sessions')}>
      <Table<Session>
        rowKey="id"
        size="small"
        loading={sessions.isLoading}
        dataSource={sessions.data ?? []}
        pagination={false}
        columns={[
          {
            title: t('account.startedAt'),
            dataIndex: 'started_at',
            render: (v: string) => formatInstant(v, i18n.language),
          },
          {
            title: t('account.lastUsedAt'),
            dataIndex: 'last_used_at',
            render: (v: string) => formatInstant(v, i18n.language),
          },
          { title: t('account.ip'), dataIndex: 'ip' },
          { title: t('account.device'), dataIndex: 'user_agent', ellipsis: true },
          {
            title: '',
            key: 'end',
            render: (_: unknown, s) =>
              s.current ? (
                <Tag color="blue">{t('account.thisSession')}</Tag>
              ) : (
                <Button size="small" onClick={() => end(s.id)}>
                  {t('account.endSession')}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}

function TokensCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; scopes: string[]; expiresInDays?: number }>();
  const tokens = useQuery({
    queryKey: keys.tokens,
    queryFn: async () => (await api<Page<ApiToken>>('/api/v1/auth/tokens')).items,
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.tokens });
  const create = async () => {
    const values = await form.validateFields();
    try {
      const made = await api<{ id: string; token: string }>('/api/v1/auth/tokens', {
        method: 'POST',
        body: {
          name: values.name.trim(),
          scopes: values.scopes,
          ...(values.expiresInDays ? { expiresInDays: values.expiresInDays } : {}),
        },
      });
      setCreating(false);
      form.resetFields();
      setShown(made.token);
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(`/api/v1/auth/tokens/${id}`, { method: 'DELETE' });
      await refresh();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const statusOf = (tk: ApiToken) =>
    tk.revoked_at ? (
      <Tag>{t('account.revoked')}</Tag>
    ) : tk.expires_at && new Date(tk.expires_at) <= new Date() ? (
      <Tag>{t('account.expired')}</Tag>
    ) : (
      <Tag color="green">{t('account.valid')}</Tag>
    );
  return (
    <Card
      title={t('account.tokens')}
      extra={<Button onClick={() => setCreating(true)}>{t('account.newToken')}</Button>}
    >
      <Typography.Paragraph type="secondary">{t('account.tokensHint')}</Typography.Paragraph>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={tokens.isLoading}
        dataSource={tokens.data ?? []}
        pagination={false}
        columns={[
          { title: t('account.tokenName'), dataIndex: 'name' },
          {
            title: t('account.scopes'),
            dataIndex: 'scopes',
            render: (scopes: string[]) => scopes.map((s) => <Tag key={s}>{s}</Tag>),
          },
          {
            title: t('account.createdAt'),
            dataIndex: 'created_at',
            render: (v: string) => formatInstant(v, i18n.language),
          },
          {
            title: t('account.expiresAt'),
            dataIndex: 'expires_at',
            render: (v: string | null) => (v ? formatInstant(v, i18n.language) : t('account.never')),
          },
          { title: t('admin.status'), key: 'status', render: (_: unknown, tk) => statusOf(tk) },
          {
            title: '',
            key: 'revoke',
            render: (_: unknown, tk) =>
              tk.revoked_at ? null : (
                <Button size="small" danger onClick={() => revoke(tk.id)}>
                  {t('account.revoke')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('account.newToken')}
        okText={t('admin.create')}
        onOk={create}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ scopes: ['read:*'] }}>
          <Form.Item
            name="name"
            label={t('account.tokenName')}
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('account.scopes')}
            tooltip={t('account.scopesHint')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select mode="tags" aria-label={t('account.scopes')} tokenSeparators={[' ', ',']} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('account.expiresInDays')}>
            <InputNumber min={1} max={3650} style={{ width: 160 }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={shown !== null}
        title={t('account.tokenShownOnce')}
        onOk={() => setShown(null)}
        onCancel={() => setShown(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <Typography.Paragraph copyable code className="tenon-new-api-token">
          {shown}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
