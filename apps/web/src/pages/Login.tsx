// @jsxRuntime automatic
/**
 * Sign-in: username and password, then a one-time code when the account has MFA, then a new password
 * when the account must change its (one-time) password before anything else.
 */
import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, changePassword, tokens } from '../api/client.ts';
import { LanguageSwitch } from '../shell/LanguageSwitch.tsx';

type Credentials = { username: string; password: string; tenant?: string; code?: string };

export function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mustChange, setMustChange] = useState<Credentials | null>(null);
  const signIn = async (values: Credentials) => {
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
    tokens.set(
      await api<{ accessToken: string; refreshToken: string }>('/api/v1/auth/login', {
        method: 'POST',
        body,
      }),
    );
    const me = await api<{ passwordChangeRequired: boolean }>('/api/v1/auth/me');
    if (me.passwordChangeRequired) setMustChange(values);
    else onSignedIn();
  };
  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(values);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH_MFA_REQUIRED') setNeedCode(true);
      else setError(err instanceof Error ? err.message : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };
  if (mustChange) {
    return (
      <ChangePassword
        onChanged={async (password) => {
          // The change ends every session: sign in again with the new password (no MFA code reuse).
          const { code: _code, ...rest } = mustChange;
          await signIn({ ...rest, password });
        }}
        current={mustChange.password}
      />
    );
  }
  return (
    <div className="tenon-login">
      <Card title={`${t('app.name')} · ${t('login.title')}`} extra={<LanguageSwitch />}>
        <Form<Credentials> layout="vertical" onFinish={submit} name="login">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="tenant" label={t('login.tenant')}>
            <Input />
          </Form.Item>
          {needCode ? (
            <Form.Item
              name="code"
              label={t('login.code')}
              extra={t('login.codeHint')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.codeHint') }]}
            >
              <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" autoFocus />
            </Form.Item>
          ) : null}
          <Space direction="vertical" style={{ width: '100%' }}>
            {error ? <Alert type="error" message={error} showIcon /> : null}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}

function ChangePassword({
  current,
  onChanged,
}: {
  current: string;
  onChanged: (password: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { password: string; confirm: string }) => {
    setError(null);
    if (values.password !== values.confirm) return setError(t('login.mismatch'));
    setBusy(true);
    try {
      await changePassword(current, values.password);
      await onChanged(values.password);
    } catch (err) {
      setError(err instanceof Error ? err.message : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="tenon-login">
      <Card title={t('login.changeTitle')} extra={<LanguageSwitch />}>
        <Form<{ password: string; confirm: string }>
          layout="vertical"
          onFinish={submit}
          name="change-password"
        >
          <Alert type="info" title={t('login.changeHint')} style={{ marginBottom: 16 }} />
          <Form.Item
            name="password"
            label={t('login.newPassword')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="new-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('login.confirmPassword')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {error ? <Alert type="error" title={error} showIcon /> : null}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.changeSubmit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
