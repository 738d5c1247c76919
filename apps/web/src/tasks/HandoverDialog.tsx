// @jsxRuntime automatic
/** Handing a task over: to a member whose roles and skills fit it, or back to the pool. */
import { App, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Task, useCandidates, useTransition } from '../api/tasks.ts';

export function HandoverDialog({ task, me, onClose }: { task: Task; me: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const candidates = useCandidates(task.pid);
  const transition = useTransition();
  const [to, setTo] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const options = (candidates.data?.items ?? [])
    .filter((c) => c.id !== me)
    .map((c) => ({ value: c.id, label: c.displayName ? `${c.displayName} (${c.username})` : c.username }));

  const submit = async () => {
    try {
      await transition.mutateAsync({
        task,
        transition: 'handover',
        ...(to ? { operatorId: to } : {}),
        ...(reason ? { reason } : {}),
      });
      message.success(t('tasks.handedOver'));
      onClose();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Modal
      open
      title={`${t('tasks.handover')}: ${task.serviceLabel}`}
      okText={t('tasks.handover')}
      cancelText={t('form.cancel')}
      confirmLoading={transition.isPending}
      onOk={submit}
      onCancel={onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          aria-label={t('tasks.handoverTo')}
          style={{ width: '100%' }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          loading={candidates.isLoading}
          placeholder={t('tasks.toPool')}
          options={options}
          value={to}
          onChange={(v) => setTo(v ?? null)}
        />
        <Input
          aria-label={t('tasks.reason')}
          placeholder={t('tasks.reason')}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </Space>
    </Modal>
  );
}
