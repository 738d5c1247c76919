/** Builders for the warehouse entity definitions (plain data in the designer's shape). */
export const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

type Extra = Record<string, unknown>;

export const field = (name: string, kind: string, zh: string, en: string, extra: Extra = {}) => ({
  name,
  label: label(zh, en),
  kind,
  ...extra,
});

export const linkTo = (name: string, target: string, zh: string, en: string, extra: Extra = {}) =>
  field(name, 'link', zh, en, { target, ...extra });

export const number = (pattern: string) =>
  field('number', 'sequence', '单号', 'Number', { sequence: { pattern } });

export const options = (
  name: string,
  zh: string,
  en: string,
  values: [string, string, string][],
  extra: Extra = {},
) =>
  field(name, 'select', zh, en, {
    options: values.map(([value, z, e]) => ({ value, label: label(z, e) })),
    ...extra,
  });

/** A document status: written only by the entity's declared actions. */
export const status = (values: [string, string, string][]) =>
  options('status', '状态', 'Status', values, { default: values[0]![0], actionOwned: true });

export const qty = (name: string, zh: string, en: string, extra: Extra = {}) =>
  field(name, 'quantity', zh, en, extra);

export const action = (name: string, zh: string, en: string) => ({ name, label: label(zh, en) });
