// @jsxRuntime automatic
/** The header's search box: records of every readable entity by title (debounced), and recent items. */
import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, type AutoCompleteProps, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { labelOf } from '../api/types.ts';
import { useNav } from './navigation-context.ts';
import { useRecent } from './recent.ts';
import { SEARCH_DEBOUNCE_MS, type SearchHit, searchEverywhere } from './search.ts';

export function GlobalSearch({
  width = 240,
  onPicked,
}: {
  width?: number | string;
  /** Called after a pick navigates (the phone drawer closes). */
  onPicked?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const nav = useNav();
  const navigate = useNavigate();
  const recent = useRecent(nav?.user.id ?? '');
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);

  useEffect(() => {
    if (!nav || !text.trim()) {
      setHits(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void searchEverywhere(nav.entities, text).then((found) => {
        if (live) setHits(found);
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, nav]);

  const entityLabel = (name: string) =>
    labelOf(nav?.entities.find((e) => e.name === name)?.label, i18n.language, name);
  const option = (h: { entity: string; id: string; title: string }) => ({
    value: `/data/${h.entity}/${h.id}`,
    label: (
      <span className="tenon-search-hit">
        {h.title} <span style={{ color: '#999' }}>· {entityLabel(h.entity)}</span>
      </span>
    ),
  });
  const options: AutoCompleteProps['options'] = text.trim()
    ? hits === null
      ? []
      : hits.length === 0
        ? [{ value: '', label: t('search.empty'), disabled: true }]
        : [...new Set(hits.map((h) => h.entity))].map((entity) => ({
            label: entityLabel(entity),
            options: hits.filter((h) => h.entity === entity).map(option),
          }))
    : [
        {
          label: t('search.recent'),
          options: recent.length
            ? recent.map(option)
            : [{ value: '', label: t('search.noRecent'), disabled: true }],
        },
      ];

  return (
    <AutoComplete
      className="tenon-global-search"
      style={{ width }}
      options={options}
      value={text}
      onChange={(v: string) => {
        if (!v.startsWith('/data/')) setText(v);
      }}
      onSelect={(value: string) => {
        if (!value) return;
        setText('');
        navigate(value);
        onPicked?.();
      }}
    >
      <Input
        aria-label={t('search.placeholder')}
        placeholder={t('search.placeholder')}
        prefix={<SearchOutlined />}
        allowClear
      />
    </AutoComplete>
  );
}
