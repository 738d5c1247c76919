// @jsxRuntime automatic
/**
 * The operator's task inbox: mine, available to my roles and skills, suspended. Claim, start, suspend,
 * resume, complete (with the service's form), release and hand over; every list refreshes live when a
 * process event reaches this user over SSE, without a reload.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Empty, List, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { LiveEvent } from '../api/live.ts';
import { useLiveEvents } from '../api/live.ts';
import {
  TASK_LISTS,
  type Task,
  type TaskList,
  type Transition,
  taskKeys,
  transitionsFor,
  useTasks,
  useTransition,
} from '../api/tasks.ts';
import { formatInstant } from '../fields/time-zone.ts';
import { useNav } from '../shell/navigation-context.ts';
import { CompleteDialog } from '../tasks/CompleteDialog.tsx';
import { HandoverDialog } from '../tasks/HandoverDialog.tsx';

const STATE_COLOURS: Record<string, string> = {
  READY: 'blue',
  RUNNING: 'green',
  WAITING: 'orange',
  SUSPENDED: 'default',
};

export default function Tasks() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const list = (TASK_LISTS as string[]).includes(params.get('list') ?? '')
    ? (params.get('list') as TaskList)
    : 'mine';
  const mine = useTasks('mine');
  const available = useTasks('available');
  const suspended = useTasks('suspended');
  const counts: Record<TaskList, number> = {
    mine: mine.data?.total ?? 0,
    available: available.data?.total ?? 0,
    suspended: suspended.data?.total ?? 0,
  };
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.topic === 'process.state_changed') void client.invalidateQueries({ queryKey: taskKeys.all });
    },
    [client],
  );
  useLiveEvents(onEvent);
  return (
    <Card title={t('tasks.title')}>
      <Tabs
        activeKey={list}
        onChange={(key) => setParams({ list: key })}
        items={TASK_LISTS.map((l) => ({
          key: l,
          label: (
            <Space size={4}>
              {t(`tasks.lists.${l}`)}
              <Badge count={counts[l]} showZero color={l === 'available' ? '#1677ff' : '#8c8c8c'} />
            </Space>
          ),
        }))}
      />
      <TaskListView list={list} />
    </Card>
  );
}

function TaskListView({ list }: { list: TaskList }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const nav = useNav();
  const tasks = useTasks(list);
  const transition = useTransition();
  const [completing, setCompleting] = useState<Task | null>(null);
  const [handingOver, setHandingOver] = useState<Task | null>(null);

  const run = async (task: Task, name: Transition) => {
    if (name === 'complete') return setCompleting(task);
    if (name === 'handover') return setHandingOver(task);
    try {
      await transition.mutateAsync({ task, transition: name });
      message.success(t(`tasks.done.${name}`));
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  if (tasks.isLoading) return <Spin />;
  if (tasks.error) return <Typography.Text type="danger">{tasks.error.message}</Typography.Text>;
  const items = tasks.data?.items ?? [];
  if (items.length === 0) return <Empty description={t('tasks.empty')} />;
  return (
    <>
      <List
        className="tenon-tasks"
        dataSource={items}
        rowKey="pid"
        renderItem={(task) => (
          <List.Item
            className="tenon-task"
            data-pid={task.pid}
            actions={transitionsFor(task, list).map((name) => (
              <Button
                key={name}
                size="small"
                type={name === 'claim' || name === 'start' || name === 'complete' ? 'primary' : 'default'}
                onClick={() => void run(task, name)}
              >
                {t(`tasks.${name}`)}
              </Button>
            ))}
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <span className="tenon-task-service">{task.serviceLabel}</span>
                  <Tag color={STATE_COLOURS[task.state]} className="tenon-task-state">
                    {t(`tasks.states.${task.state}`)}
                  </Tag>
                  {task.priority >= 80 && <Tag color="red">{t('tasks.urgent')}</Tag>}
                </Space>
              }
              description={
                <Space wrap size="middle">
                  {task.entity && task.recordId && (
                    <Link to={`/data/${task.entity}/${task.recordId}`}>
                      {task.recordTitle ?? task.recordId}
                    </Link>
                  )}
                  {task.dueAt && (
                    <span>
                      {t('tasks.due')}: {formatInstant(task.dueAt, i18n.language)}
                    </span>
                  )}
                  {task.role && (
                    <span>
                      {t('tasks.role')}: {task.role}
                    </span>
                  )}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {completing && (
        <CompleteDialog
          task={completing}
          onClose={(done) => {
            setCompleting(null);
            if (done) message.success(t('tasks.done.complete'));
          }}
        />
      )}
      {handingOver && nav && (
        <HandoverDialog task={handingOver} me={nav.user.id} onClose={() => setHandingOver(null)} />
      )}
    </>
  );
}
