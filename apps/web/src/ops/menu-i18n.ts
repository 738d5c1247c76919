/** The operations menu's labels (namespace `ops`), in the shell's first load; the rest is in i18n.ts. */
export const opsMenuZhCN = {
  menu: {
    group: '作业',
    pick: '扫码拣货',
    count: '盘点',
    receive: '收货',
    putaway: '上架',
    pack: '装箱发运',
    transfer: '调拨发运',
    kanban: '看板补货',
    portal: '供应商门户',
    stock: '库存查询',
  },
};

export const opsMenuEn: typeof opsMenuZhCN = {
  menu: {
    group: 'Operations',
    pick: 'Scan to pick',
    count: 'Cycle count',
    receive: 'Receive',
    putaway: 'Put away',
    pack: 'Pack and ship',
    transfer: 'Ship a transfer',
    kanban: 'Kanban',
    portal: 'Supplier portal',
    stock: 'Stock',
  },
};
