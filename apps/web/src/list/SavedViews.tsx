// @jsxRuntime automatic
/**
 * The list's saved views (kept on the server per user): pick one to apply it, save the current
 * filters, sort, columns and page size as a new view (optionally shared with the tenant and as my
 * default), update, rename or delete one I may edit, and make any view I see my default.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createView,
  deleteView,
  meKeys,
  patchView,
  type SavedView,
  useViews,
  type ViewState,
} from '../api/me.ts';

type Draft = { mode: 'create' | 'rename'; name: string; shared: boolean; isDefault: boolean };

export function SavedViews({
  entity,
  current,
  selected,
  onApply,
}: {
  entity: string;
  /** The list's state now: what "save" and "update" store. */
  current: ViewState;
  selected: string | null;
  onApply: (view: SavedView | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const views = useViews(entity);
  const [draft, setDraft] = useState<Draft | null>(null);
  const view = views.data?.find((v) => v.id === selected) ?? null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: meKeys.views(entity) });
  const attempt = async (fn: () => Promise<unknown>, done?: string) => {
    try {
      await fn();
      if (done) message.success(done);
      await refresh();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  const submit = () =>
    attempt(async () => {
      if (!draft) return;
      if (draft.mode === 'create') {
        const saved = await createView({
          entity,
          state: current,
          name: draft.name.trim(),
          shared: draft.shared,
          isDefault: draft.isDefault,
        });
        onApply(saved);
      } else if (view) await patchView(view.id, { name: draft.name.trim() });
      setDraft(null);
    }, t('views.saved'));
  const label = (v: SavedView) =>
    `${v.name}${v.isDefault ? ` ★ ${t('views.default')}` : ''}${v.mine ? '' : ` · ${t('views.sharedBy', { owner: v.ownerName })}`}`;
  const menu = [
    ...(view?.editable
      ? [
          { key: 'update', label: t('views.update') },
          { key: 'rename', label: t('views.rename') },
          { key: 'share', label: view.shared ? t('views.unshare') : t('views.share') },
          { key: 'delete', label: t('views.delete'), danger: true },
        ]
      : []),
    ...(view
      ? [{ key: 'default', label: view.isDefault ? t('views.clearDefault') : t('views.makeDefault') }]
      : []),
  ];
  const onMenu = ({ key }: { key: string }) => {
    if (!view) return;
    if (key === 'update') void attempt(() => patchView(view.id, { state: current }), t('views.saved'));
    if (key === 'rename')
      setDraft({ mode: 'rename', name: view.name, shared: view.shared, isDefault: view.isDefault });
    if (key === 'default') void attempt(() => patchView(view.id, { isDefault: !view.isDefault }));
    if (key === 'share') void attempt(() => patchView(view.id, { shared: !view.shared }), t('views.saved'));
    if (key === 'delete')
      void attempt(async () => {
        await deleteView(view.id);
        onApply(null);
      }, t('views.deleted'));
  };
  return (
    <Space wrap className="tenon-views">
      <Select
        aria-label={t('views.label')}
        style={{ minWidth: 220 }}
        value={selected ?? ''}
        loading={views.isLoading}
        options={[
          { value: '', label: t('views.none') },
          ...(views.data ?? []).map((v) => ({ value: v.id, label: label(v) })),
        ]}
        onChange={(id) => onApply(views.data?.find((v) => v.id === id) ?? null)}
      />
      <Button onClick={() => setDraft({ mode: 'create', name: '', shared: false, isDefault: false })}>
        {t('views.save')}
      </Button>
      {menu.length > 0 ? (
        <Dropdown menu={{ items: menu, onClick: onMenu }}>
          <Button aria-label={t('views.label')}>⋯</Button>
        </Dropdown>
      ) : null}
      <Modal
        open={draft !== null}
        title={draft?.mode === 'rename' ? t('views.rename') : t('views.save')}
        okButtonProps={{ disabled: !draft?.name.trim() }}
        onOk={() => void submit()}
        onCancel={() => setDraft(null)}
        destroyOnHidden
      >
        {draft ? (
          <Form layout="vertical">
            <Form.Item label={t('views.name')}>
              <Input
                aria-label={t('views.name')}
                value={draft.name}
                maxLength={100}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                onPressEnter={() => void submit()}
              />
            </Form.Item>
            {draft.mode === 'create' ? (
              <>
                <Checkbox
                  checked={draft.shared}
                  onChange={(e) => setDraft({ ...draft, shared: e.target.checked })}
                >
                  {t('views.shared')}
                </Checkbox>
                <br />
                <Checkbox
                  checked={draft.isDefault}
                  onChange={(e) => setDraft({ ...draft, isDefault: e.target.checked })}
                >
                  {t('views.isDefault')}
                </Checkbox>
              </>
            ) : null}
          </Form>
        ) : null}
      </Modal>
    </Space>
  );
}
