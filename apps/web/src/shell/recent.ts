/** Recently opened records, newest first, kept per user in the browser (at most 10). */
import { useSyncExternalStore } from 'react';

export type RecentItem = { entity: string; id: string; title: string; at: string };

const MAX = 10;
const listeners = new Set<() => void>();
const keyOf = (user: string) => `tenon.recent.${user}`;
let cache: { key: string; raw: string | null; items: RecentItem[] } | null = null;

export function readRecent(user: string): RecentItem[] {
  const key = keyOf(user);
  const raw = localStorage.getItem(key);
  if (cache?.key === key && cache.raw === raw) return cache.items;
  let items: RecentItem[] = [];
  try {
    const parsed = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) items = parsed.filter((i) => i && typeof i.id === 'string').slice(0, MAX);
  } catch {
    items = [];
  }
  cache = { key, raw, items };
  return items;
}

/** Puts a record first in the user's recent items (once). */
export function rememberRecent(user: string, item: Omit<RecentItem, 'at'>, now = new Date()): void {
  const rest = readRecent(user).filter((i) => !(i.entity === item.entity && i.id === item.id));
  const next = [{ ...item, at: now.toISOString() }, ...rest].slice(0, MAX);
  localStorage.setItem(keyOf(user), JSON.stringify(next));
  for (const fn of listeners) fn();
}

export function useRecent(user: string): RecentItem[] {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => readRecent(user),
  );
}
