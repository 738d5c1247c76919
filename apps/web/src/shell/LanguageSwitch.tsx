// @jsxRuntime automatic
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Language, setLanguage } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t('shell.language')}
      size="small"
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'EN' },
      ]}
      onChange={(lang) => setLanguage(lang)}
    />
  );
}
