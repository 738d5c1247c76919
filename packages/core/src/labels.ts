/** User-facing text in zh-CN first, English too. */
export type Label = { 'zh-CN'?: string; en?: string };

export function labelText(label: Label | undefined, locale: 'zh-CN' | 'en', fallback = ''): string {
  if (!label) return fallback;
  return label[locale] ?? label['zh-CN'] ?? label.en ?? fallback;
}
