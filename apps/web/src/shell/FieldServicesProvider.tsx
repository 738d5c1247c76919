// @jsxRuntime automatic
/** Binds the field components' services (lookups, search, upload) to the live API. */
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { api, rawApi } from '../api/client.ts';
import type { RecordData } from '../api/types.ts';
import { type FieldServices, FieldServicesContext, titleFieldOf } from '../fields/context.ts';
import { useNav } from './navigation-context.ts';

export function FieldServicesProvider({ children }: { children: ReactNode }) {
  const nav = useNav();
  const services = useMemo<FieldServices>(() => {
    const entity = (name: string) => nav?.entities.find((e) => e.name === name);
    return {
      entity,
      search: async (target, text) => {
        const title = titleFieldOf(entity(target));
        const params = new URLSearchParams({ pageSize: '20' });
        if (text && title !== 'id') params.set(`filter[${title}][contains]`, text);
        const page = await api<{ items: RecordData[] }>(`/api/v1/${target}?${params}`);
        return page.items;
      },
      upload: async (file) => {
        const form = new FormData();
        form.append('file', file);
        const saved = await api<{ id: string }>('/api/v1/files', { method: 'POST', body: form });
        return saved.id;
      },
      open: async (id) => {
        const res = await rawApi(`/api/v1/files/${id}`);
        const url = URL.createObjectURL(await res.blob());
        window.open(url, '_blank', 'noopener');
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      createNew: (target) => window.open(`/data/${target}/new`, '_blank', 'noopener'),
    };
  }, [nav]);
  return <FieldServicesContext.Provider value={services}>{children}</FieldServicesContext.Provider>;
}
