// @jsxRuntime automatic
/**
 * The generated list of an entity: columns from its definition, the filter builder, multi-sort
 * (shift/ctrl-click headers), a column chooser, keyset paging ("load more"), a virtualised table,
 * export to CSV/Excel and import; saved views (the user's default applied when the list opens) and
 * bulk actions on the selected rows or on all rows matching the filter.
 */
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Checkbox,
  Empty,
  Popover,
  Select,
  Space,
  Table,
  type TableProps,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { baseViewState, useListDefaults } from '../api/list-defaults.ts';
import {
  conditionsToFilter,
  filterToConditions,
  type SavedView,
  useViews,
  type ViewState,
} from '../api/me.ts';
import { type Condition, exportList, type ListQuery, listRecords, recordKeys } from '../api/records.ts';
import { labelOf, type RecordData } from '../api/types.ts';
import { FieldDisplay } from '../fields/registry.tsx';
import { BulkBar } from '../list/BulkBar.tsx';
import { ExportMenu } from '../list/ExportMenu.tsx';
import { FilterBuilder } from '../list/FilterBuilder.tsx';
import { ImportDialog } from '../list/ImportDialog.tsx';
import { SavedViews } from '../list/SavedViews.tsx';
import { useEntity } from '../shell/navigation-context.ts';

const UNSORTABLE = new Set(['children', 'json', 'attachment', 'multi_link', 'formula']);
const PAGE_SIZES = [20, 50, 100, 200];

/** A fresh list state per entity (its filters, view and selection do not carry over to another). */
export default function EntityListRoute() {
  const { entity } = useParams();
  return <EntityList key={entity} />;
}

function EntityList() {
  const { entity: name } = useParams();
  const entity = useEntity(name);
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Condition[]>([]);
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [sort, setSort] = useState<string[]>([]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [pageSize, setPageSize] = useState(50);
  const [importing, setImporting] = useState(false);
  const [viewId, setViewId] = useState<string | null>(null);
  const [defaultDone, setDefaultDone] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [allMatching, setAllMatching] = useState(false);
  const views = useViews(name ?? '');
  const listDefaults = useListDefaults(name ?? '');
  const fields = useMemo(
    () => (entity?.fields ?? []).filter((f) => !f.hidden && f.kind !== 'children'),
    [entity],
  );
  // Shown links come expanded: a title reads better than an id.
  const expand = fields
    .filter((f) => (f.kind === 'link' || f.kind === 'multi_link') && !hidden.has(f.name))
    .map((f) => f.name);
  const query: ListQuery = { conditions, sort, pageSize, ...(expand.length ? { expand } : {}) };
  const clearSelection = () => {
    setSelected([]);
    setAllMatching(false);
  };
  const applyView = (view: SavedView | null) => {
    // No view: the list as it first opens (the designer's list defaults, else every column unsorted).
    const next = view?.state ?? baseViewState(listDefaults.data);
    setViewId(view?.id ?? null);
    clearSelection();
    const restored = filterToConditions(next.filter);
    setDraft(restored);
    setConditions(restored);
    setSort(next.sort);
    const shown = new Set(next.columns);
    setHidden(new Set(shown.size ? fields.filter((f) => !shown.has(f.name)).map((f) => f.name) : []));
    setPageSize(next.pageSize);
  };
  // The user's default view, once, when the list opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: applied once per list, when the views arrive
  useEffect(() => {
    // Views that cannot be read (an error) leave the list as it is rather than never loading it.
    if (defaultDone || !entity || (!views.data && !views.isError)) return;
    if (listDefaults.data === undefined && !listDefaults.isError) return;
    setDefaultDone(true);
    const preferred = views.data?.find((v) => v.isDefault);
    if (preferred || listDefaults.data) applyView(preferred ?? null);
  }, [views.data, views.isError, listDefaults.data, listDefaults.isError, entity, defaultDone]);
  const list = useInfiniteQuery({
    queryKey: recordKeys.list(name ?? '', query),
    queryFn: ({ pageParam }) => listRecords(name ?? '', query, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? null,
    enabled: !!entity && defaultDone,
  });
  if (!entity) return <Empty />;
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const visible = fields.filter((f) => !hidden.has(f.name));
  const filter = conditionsToFilter(conditions);
  const state: ViewState = { filter, sort, columns: visible.map((f) => f.name), pageSize };
  const columns: TableProps<RecordData>['columns'] = visible.map((f, i) => ({
    key: f.name,
    dataIndex: f.name,
    title: labelOf(f.label, i18n.language, f.name),
    width: 160,
    ellipsis: true,
    sorter: UNSORTABLE.has(f.kind) ? false : { multiple: 1 },
    sortOrder: sortOrderOf(sort, f.name),
    render: (value: unknown, record: RecordData) =>
      i === 0 ? (
        <Link to={`/data/${entity.name}/${record.id}`}>
          <FieldDisplay field={f} value={value} record={record} />
        </Link>
      ) : (
        <FieldDisplay field={f} value={value} record={record} />
      ),
  }));
  const onTableChange: TableProps<RecordData>['onChange'] = (_p, _f, sorter) => {
    const all = (Array.isArray(sorter) ? sorter : [sorter]).filter((s) => s.order && s.columnKey);
    setSort(all.map((s) => `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}`));
    clearSelection();
  };
  return (
    <Card
      title={labelOf(entity.label, i18n.language, entity.name)}
      extra={
        <Space wrap>
          {entity.can.create ? (
            <Button type="primary" onClick={() => navigate(`/data/${entity.name}/new`)}>
              {t('list.new')}
            </Button>
          ) : null}
          <Popover
            trigger="click"
            content={
              <Space direction="vertical">
                {fields.map((f) => (
                  <Checkbox
                    key={f.name}
                    checked={!hidden.has(f.name)}
                    onChange={(e) => {
                      const next = new Set(hidden);
                      if (e.target.checked) next.delete(f.name);
                      else next.add(f.name);
                      setHidden(next);
                    }}
                  >
                    {labelOf(f.label, i18n.language, f.name)}
                  </Checkbox>
                ))}
              </Space>
            }
          >
            <Button>{t('list.columns')}</Button>
          </Popover>
          {entity.can.export ? (
            <ExportMenu onExport={(format) => void exportList(entity.name, query, format)}>
              {t('list.export')}
            </ExportMenu>
          ) : null}
          {entity.can.import ? <Button onClick={() => setImporting(true)}>{t('list.import')}</Button> : null}
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <SavedViews entity={entity.name} current={state} selected={viewId} onApply={applyView} />
          <Select
            aria-label="page size"
            value={pageSize}
            options={PAGE_SIZES.map((n) => ({ value: n, label: t('views.pageSize', { count: n }) }))}
            onChange={(n) => {
              setPageSize(n);
              clearSelection();
            }}
          />
        </Space>
        <FilterBuilder entity={entity} value={draft} onChange={setDraft} />
        <Space>
          <Button
            type="primary"
            size="small"
            onClick={() => {
              setConditions(draft.filter((c) => c.value !== ''));
              clearSelection();
            }}
          >
            {t('list.apply')}
          </Button>
          <Button
            size="small"
            onClick={() => {
              setDraft([]);
              setConditions([]);
              clearSelection();
            }}
          >
            {t('list.clear')}
          </Button>
          <Typography.Text type="secondary">{t('list.sortHint')}</Typography.Text>
        </Space>
        {list.error ? <Typography.Text type="danger">{list.error.message}</Typography.Text> : null}
        {selected.length > 0 || allMatching ? (
          <BulkBar
            entity={entity}
            ids={selected}
            all={allMatching}
            total={typeof total === 'number' ? total : null}
            filter={filter}
            query={query}
            rows={rows}
            onSelectAll={() => setAllMatching(true)}
            onClear={clearSelection}
            onChanged={() => void queryClient.invalidateQueries({ queryKey: recordKeys.all(entity.name) })}
          />
        ) : null}
        <Table<RecordData>
          rowKey="id"
          rowSelection={{
            selectedRowKeys: allMatching ? rows.map((r) => String(r.id)) : selected,
            onChange: (keys) => {
              setAllMatching(false);
              setSelected(keys.map(String));
            },
          }}
          size="small"
          virtual
          scroll={{ x: Math.max(600, visible.length * 160), y: 520 }}
          loading={list.isLoading}
          columns={columns}
          dataSource={rows}
          pagination={false}
          showSorterTooltip={false}
          onChange={onTableChange}
          locale={{ emptyText: t('list.empty') }}
        />
        <Space>
          {typeof total === 'number' ? (
            <Typography.Text>{t('list.total', { count: total })}</Typography.Text>
          ) : null}
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('list.more')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <ImportDialog
        entity={entity.name}
        open={importing}
        onClose={(imported) => {
          setImporting(false);
          if (imported) void queryClient.invalidateQueries({ queryKey: recordKeys.all(entity.name) });
        }}
      />
    </Card>
  );
}

function sortOrderOf(sort: string[], field: string): 'ascend' | 'descend' | null {
  if (sort.includes(field)) return 'ascend';
  if (sort.includes(`-${field}`)) return 'descend';
  return null;
}
