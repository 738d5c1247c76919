// @jsxRuntime automatic
/**
 * The header's company and tenant: a switcher of the companies the user may read, the choice kept on
 * the server (the default of `company` links on new records), and the current tenant with "switch
 * tenant", which signs out and opens the sign-in with the tenant field empty (decision 0028).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api/client.ts';
import { meKeys, type Preferences, savePreference, usePreferences } from '../api/me.ts';
import type { RecordData } from '../api/types.ts';
import { titleFieldOf, titleOf } from '../fields/context.ts';
import { useNav } from './navigation-context.ts';

export const COMPANY = 'company';

export function CompanySwitcher({ onSwitchTenant }: { onSwitchTenant: () => void }) {
  const nav = useNav();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const company = nav?.entities.find((e) => e.name === COMPANY);
  const preferences = usePreferences();
  const companies = useQuery({
    queryKey: ['records', COMPANY, 'switcher'],
    queryFn: () =>
      api<Page<RecordData>>(
        `/api/v1/${COMPANY}?pageSize=200&fields=id,${titleFieldOf(company)}&sort=${titleFieldOf(company)}`,
      ),
    enabled: !!company,
  });
  const choose = async (companyId: string | null) => {
    try {
      await savePreference('company', { companyId });
      queryClient.setQueryData<Preferences>(meKeys.preferences, (p) => ({ ...p, company: { companyId } }));
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Space size="small" wrap className="tenon-tenant">
      {company ? (
        <Select
          aria-label={t('company.label')}
          className="tenon-company"
          style={{ minWidth: 160 }}
          size="small"
          allowClear
          placeholder={t('company.pick')}
          loading={companies.isLoading}
          value={preferences.data?.company?.companyId ?? undefined}
          options={(companies.data?.items ?? []).map((r) => ({
            value: String(r.id),
            label: titleOf(r, company),
          }))}
          onChange={(id) => void choose(id ?? null)}
        />
      ) : null}
      <Typography.Text type="secondary" className="tenon-tenant-name" ellipsis style={{ maxWidth: 160 }}>
        {t('company.tenant', { name: nav?.tenant ?? '' })}
      </Typography.Text>
      <Button
        size="small"
        type="link"
        onClick={async () => {
          // Ends the session on the server too; signing out locally happens whatever it answers.
          await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
          onSwitchTenant();
        }}
      >
        {t('company.switchTenant')}
      </Button>
    </Space>
  );
}
