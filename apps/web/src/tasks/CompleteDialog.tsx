// @jsxRuntime automatic
/** Completing a task: the service's form, rendered with the generated form's inputs; server errors at their fields. */
import { Modal, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldError } from '../api/client.ts';
import { type Task, useTaskForm, useTransition } from '../api/tasks.ts';
import type { EntityDef, RecordData } from '../api/types.ts';
import { RecordForm } from '../form/RecordForm.tsx';

/** The service's form as an entity definition, so the generated form can render it. */
export function formEntity(form: { service: string; form: EntityDef['fields'] }): EntityDef {
  return { name: form.service, label: {}, fields: form.form };
}

/** Client-side check of required fields (the server validates kinds and options too). */
export function missingRequired(entity: EntityDef, values: RecordData): FieldError[] {
  return entity.fields
    .filter(
      (f) => f.required && (values[f.name] === undefined || values[f.name] === null || values[f.name] === ''),
    )
    .map((f) => ({ field: f.name, code: 'required', message: 'required' }));
}

export function CompleteDialog({ task, onClose }: { task: Task; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const form = useTaskForm(task.pid);
  const transition = useTransition();
  const [values, setValues] = useState<RecordData>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const entity = form.data ? formEntity(form.data) : null;

  const submit = async () => {
    if (!entity) return;
    const missing = missingRequired(entity, values);
    setErrors(missing);
    if (missing.length) return;
    const data = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined));
    try {
      await transition.mutateAsync({ task, transition: 'complete', data });
      onClose(true);
    } catch (err) {
      if (err instanceof ApiError && err.details.length) setErrors(err.details);
      else setErrors([{ field: '', code: 'error', message: (err as Error).message }]);
    }
  };

  const general = errors.filter((e) => e.field === '' || !entity?.fields.some((f) => f.name === e.field));
  return (
    <Modal
      open
      title={`${t('tasks.complete')}: ${task.serviceLabel}`}
      okText={t('tasks.complete')}
      cancelText={t('form.cancel')}
      confirmLoading={transition.isPending}
      onOk={submit}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {!entity ? (
        <Spin />
      ) : (
        <>
          {entity.fields.length === 0 && <p>{t('tasks.noForm')}</p>}
          <RecordForm entity={entity} values={values} errors={errors} onChange={setValues} />
          {general.map((e) => (
            <p key={e.message} style={{ color: '#cf1322' }}>
              {e.message}
            </p>
          ))}
        </>
      )}
    </Modal>
  );
}
