// @jsxRuntime automatic
/** The header's bell: unread count (polled), the latest notifications, mark one read, open its record. */
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useMarkRead, useNotifications, useUnreadCount } from '../api/notifications.ts';
import { labelOf } from '../api/types.ts';
import { formatInstant } from '../fields/time-zone.ts';

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const list = useNotifications(open);
  const markRead = useMarkRead();
  const content = (
    <List
      className="tenon-notifications"
      style={{ width: 320, maxHeight: 420, overflowY: 'auto' }}
      loading={list.isLoading}
      locale={{ emptyText: t('notify.empty') }}
      dataSource={list.data?.items ?? []}
      renderItem={(n) => (
        <List.Item
          className="tenon-notification"
          actions={
            n.readAt
              ? []
              : [
                  <Button key="read" size="small" type="link" onClick={() => markRead.mutate(n.id)}>
                    {t('notify.markRead')}
                  </Button>,
                ]
          }
        >
          <List.Item.Meta
            title={
              <Typography.Link
                strong={!n.readAt}
                onClick={() => {
                  if (!n.readAt) markRead.mutate(n.id);
                  if (n.entity && n.recordId) {
                    setOpen(false);
                    navigate(`/data/${n.entity}/${n.recordId}`);
                  }
                }}
              >
                {labelOf(n.title, i18n.language)}
              </Typography.Link>
            }
            description={
              <>
                {n.body && <div>{n.body}</div>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatInstant(n.createdAt, i18n.language)}
                </Typography.Text>
              </>
            }
          />
        </List.Item>
      )}
    />
  );
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('notify.title')}
      content={content}
      open={open}
      onOpenChange={setOpen}
    >
      <Badge count={unread.data ?? 0} size="small" className="tenon-bell-badge">
        <Button aria-label={t('notify.title')} shape="circle" icon={<BellOutlined />} />
      </Badge>
    </Popover>
  );
}
