/** Shape checks shared by the console's design-object kinds (form layouts, list defaults, menus). */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A label in zh-CN and/or en with at least one non-blank text. */
export const isLabel = (v: unknown): boolean =>
  isObj(v) &&
  Object.keys(v).every((k) => k === 'zh-CN' || k === 'en') &&
  Object.values(v).every((s) => typeof s === 'string') &&
  Object.values(v).some((s) => (s as string).trim() !== '');
