// @jsxRuntime automatic
/** A button with the export formats (CSV, Excel): the list's export and the export of a selection. */
import { Button, Dropdown } from 'antd';
import type { ReactNode } from 'react';

export type ExportFormat = 'csv' | 'xlsx';

export function ExportMenu({
  children,
  size,
  onExport,
}: {
  children: ReactNode;
  size?: 'small';
  onExport: (format: ExportFormat) => void;
}) {
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'csv', label: 'CSV' },
          { key: 'xlsx', label: 'Excel' },
        ],
        onClick: ({ key }) => onExport(key as ExportFormat),
      }}
    >
      <Button size={size}>{children}</Button>
    </Dropdown>
  );
}
