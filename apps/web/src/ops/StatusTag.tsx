// @jsxRuntime automatic
/** A record's status as its entity labels it in the user's language (the raw value as a fallback). */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../api/types.ts';
import { useEntity } from '../shell/navigation-context.ts';

export function StatusTag({ entity, value }: { entity: string; value: unknown }) {
  const { i18n } = useTranslation();
  const option = useEntity(entity)
    ?.fields.find((f) => f.name === 'status')
    ?.options?.find((o) => o.value === value);
  return <Tag>{labelOf(option?.label, i18n.language, String(value ?? ''))}</Tag>;
}
