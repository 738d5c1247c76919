// @jsxRuntime automatic
/** Records of other entities that link to this one (their link fields point here). */
import { useQuery } from '@tanstack/react-query';
import { Card, List } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { labelOf, type RecordData } from '../api/types.ts';
import { titleOf } from '../fields/context.ts';
import { useNav } from '../shell/navigation-context.ts';

export function Related({ entity, id }: { entity: string; id: string }) {
  const nav = useNav();
  const { i18n } = useTranslation();
  const links = (nav?.entities ?? []).flatMap((e) =>
    e.childOf
      ? []
      : e.fields
          .filter((f) => f.kind === 'link' && f.target === entity)
          .map((f) => ({ source: e, field: f })),
  );
  const related = useQuery({
    queryKey: ['related', entity, id, links.length],
    queryFn: () =>
      Promise.all(
        links.map(async (l) => ({
          ...l,
          items: (
            await api<Page<RecordData>>(`/api/v1/${l.source.name}?filter[${l.field.name}]=${id}&pageSize=10`)
          ).items,
        })),
      ),
    enabled: links.length > 0,
  });
  if (links.length === 0) return null;
  return (
    <>
      {(related.data ?? []).map((group) => (
        <Card
          key={`${group.source.name}.${group.field.name}`}
          size="small"
          title={`${labelOf(group.source.label, i18n.language, group.source.name)} · ${labelOf(group.field.label, i18n.language, group.field.name)}`}
        >
          <List
            size="small"
            dataSource={group.items}
            renderItem={(r) => (
              <List.Item>
                <Link to={`/data/${group.source.name}/${r.id}`}>{titleOf(r, group.source)}</Link>
              </List.Item>
            )}
          />
        </Card>
      ))}
    </>
  );
}
