// @jsxRuntime automatic
/** The first step of a scanner screen: the documents to work on, newest state tag beside each. */
import { List, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordData } from '../api/types.ts';
import { useRecords } from './api.ts';
import { StatusTag } from './StatusTag.tsx';

export function DocumentPicker(props: {
  entity: string;
  /** The list's query string (filter and sort), as `useRecords` takes it. */
  query: string;
  title: string;
  describe?: (record: RecordData) => ReactNode;
  onOpen: (id: string) => void;
  /** Shown between the title and the list (a scan field, a "new" button). */
  children?: ReactNode;
}) {
  const { t } = useTranslation('ops');
  const docs = useRecords(props.entity, props.query);
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Typography.Title level={4}>{props.title}</Typography.Title>
      {props.children}
      <List
        loading={docs.isLoading}
        locale={{ emptyText: t('common.none') }}
        dataSource={docs.data ?? []}
        renderItem={(d: RecordData) => (
          <List.Item
            onClick={() => props.onOpen(d.id as string)}
            style={{ cursor: 'pointer' }}
            extra={<StatusTag entity={props.entity} value={d.status} />}
          >
            <List.Item.Meta title={String(d.number ?? '')} description={props.describe?.(d)} />
          </List.Item>
        )}
      />
    </Space>
  );
}
