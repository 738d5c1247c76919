/** The shell's "作业 / Operations" menu group: each screen shown when its entities are readable. */
import type { Navigation } from '../api/navigation.ts';

const SCREENS = [
  { key: '/ops/pick', label: 'ops:menu.pick', needs: ['pick_list'] },
  { key: '/ops/receive', label: 'ops:menu.receive', needs: ['asn'] },
  { key: '/ops/putaway', label: 'ops:menu.putaway', needs: ['putaway_task'] },
  { key: '/ops/pack', label: 'ops:menu.pack', needs: ['delivery_order', 'item'] },
  { key: '/ops/transfer', label: 'ops:menu.transfer', needs: ['transfer_order', 'location', 'item'] },
  { key: '/ops/kanban', label: 'ops:menu.kanban', needs: ['kanban_card', 'kanban_signal'] },
  { key: '/ops/portal', label: 'ops:menu.portal', needs: ['vmi_agreement'] },
  { key: '/ops/count', label: 'ops:menu.count', needs: ['count_session', 'location', 'item'] },
  { key: '/ops/stock', label: 'ops:menu.stock', needs: ['stock_move', 'item', 'location'] },
];

export function opsMenu(nav: Navigation, t: (key: string) => string) {
  const readable = new Set(nav.entities.map((e) => e.name));
  const children = SCREENS.filter((s) => s.needs.every((n) => readable.has(n))).map((s) => ({
    key: s.key,
    label: t(s.label),
  }));
  return children.length ? [{ key: 'ops', label: t('ops:menu.group'), children }] : [];
}
