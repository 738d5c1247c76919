/**
 * PDF documents of the warehouse (pdfkit). Chinese text needs a CJK font: `TENON_CJK_FONT` names a
 * TTF/TTC file, else the usual Debian paths of WenQuanYi Zen Hei and Noto Sans CJK are tried; without
 * one the documents fall back to Helvetica and English labels (CJK characters cannot be drawn).
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
];

let cached: string | null | undefined;

export function cjkFont(): string | null {
  if (cached !== undefined) return cached;
  const env = process.env.TENON_CJK_FONT;
  cached = [env, ...CANDIDATES].find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
  return cached;
}

/** The face to take from a font collection (.ttc). */
function collectionMember(path: string): string | undefined {
  if (!path.endsWith('.ttc')) return undefined;
  if (path.includes('wqy-zenhei')) return 'WenQuanYiZenHei';
  if (path.includes('wqy-microhei')) return 'WenQuanYiMicroHei';
  return 'NotoSansCJKsc-Regular';
}

export type Column = { header: [string, string]; width: number; align?: 'left' | 'right' };

export type DocumentSpec = {
  title: [string, string];
  /** Label / value pairs under the title. */
  facts: [[string, string], string][];
  columns: Column[];
  rows: string[][];
  footer?: [string, string];
};

/** A one-table document; labels as `[zh-CN, en]`, shown both when a CJK font exists. */
export async function renderDocument(spec: DocumentSpec): Promise<Buffer> {
  // Loaded on the first document: a large package most processes never need.
  const { default: PDFDocument } = await import('pdfkit');
  const font = cjkFont();
  const text = (pair: [string, string]) => (font ? `${pair[0]} ${pair[1]}` : pair[1]);
  const safe = (s: string) => (font ? s : s.replace(/[^\x20-\x7e]/g, '?'));
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: spec.title[1] } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (font) doc.registerFont('cjk', font, collectionMember(font));
  doc.font(font ? 'cjk' : 'Helvetica');
  doc.fontSize(16).text(text(spec.title));
  doc.moveDown(0.5).fontSize(9);
  for (const [label, value] of spec.facts) doc.text(`${text(label)}: ${safe(value)}`);
  doc.moveDown();
  const left = doc.page.margins.left;
  const drawRow = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = left;
    let height = 0;
    cells.forEach((cell, i) => {
      const col = spec.columns[i]!;
      const h = doc.heightOfString(cell, { width: col.width - 4 });
      doc.text(cell, x, y, { width: col.width - 4, align: col.align ?? 'left' });
      height = Math.max(height, h);
      x += col.width;
    });
    doc.y = y + height + (bold ? 4 : 2);
    doc.x = left;
    if (doc.y > doc.page.height - 80) doc.addPage();
  };
  drawRow(
    spec.columns.map((c) => text(c.header)),
    true,
  );
  for (const row of spec.rows) drawRow(row.map(safe));
  if (spec.footer) doc.moveDown().text(text(spec.footer));
  doc.end();
  return done;
}
