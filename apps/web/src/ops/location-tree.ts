/** The location tree of the stock screen, from the locations' parent links (pure). */
import type { TreeDataNode } from 'antd';
import type { RecordData } from '../api/types.ts';

/** Warehouses at the root, each location under its parent (or under its warehouse when it has none). */
export function locationTree(warehouses: RecordData[], locations: RecordData[]): TreeDataNode[] {
  const children = new Map<string, RecordData[]>();
  for (const l of locations) {
    const key = (l.parent as string | null) ?? `wh:${l.warehouse as string}`;
    children.set(key, [...(children.get(key) ?? []), l]);
  }
  const build = (key: string, seen: Set<string>): TreeDataNode[] =>
    (children.get(key) ?? [])
      .filter((l) => !seen.has(l.id as string))
      .map((l) => ({
        key: l.id as string,
        title: `${l.code as string}${l.level ? ` · ${l.level as string}` : ''}`,
        children: build(l.id as string, new Set([...seen, l.id as string])),
      }));
  return warehouses.map((w) => ({
    key: `wh:${w.id as string}`,
    title: `${w.code as string} ${w.name as string}`,
    children: build(`wh:${w.id as string}`, new Set()),
  }));
}
