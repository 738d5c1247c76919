/** Small builders for the inventory entity definitions (plain data, the designer's shape). */
export const l = (zh: string, en: string) => ({ 'zh-CN': zh, en });

export const str = (name: string, zh: string, en: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: l(zh, en),
  kind: 'string',
  ...extra,
});

export const link = (
  name: string,
  target: string,
  zh: string,
  en: string,
  extra: Record<string, unknown> = {},
) => ({
  name,
  label: l(zh, en),
  kind: 'link',
  target,
  ...extra,
});

export const qty = (name: string, zh: string, en: string, extra: Record<string, unknown> = {}) => ({
  name,
  label: l(zh, en),
  kind: 'quantity',
  ...extra,
});

export const select = (
  name: string,
  zh: string,
  en: string,
  options: [string, string, string][],
  extra: Record<string, unknown> = {},
) => ({
  name,
  label: l(zh, en),
  kind: 'select',
  options: options.map(([value, z, e]) => ({ value, label: l(z, e) })),
  ...extra,
});
