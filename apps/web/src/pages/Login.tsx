// @jsxRuntime automatic
/** Sign-in: username and password, then a one-time code when the account has MFA. */
import { Alert, Button, Card, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, tokens } from '../api/client.ts';
import { LanguageSwitch } from '../shell/LanguageSwitch.tsx';

type Credentials = { username: string; password: string; tenant?: string; code?: string };

export function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
      tokens.set(
        await api<{ accessToken: string; refreshToken: string }>('/api/v1/auth/login', {
          method: 'POST',
          body,
        }),
      );
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'AUTH_MFA_REQUIRED') setNeedCode(true);
      else setError(err instanceof Error ? err.message : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };
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
