import type { Clock, Locale } from '@tenon/core';
import type { Database } from '@tenon/db';
import type { TenantMetamodel } from '../registry.ts';

/** Who writes, where, and in which language errors are told. */
export type RecordContext = {
  db: Database;
  metamodel: TenantMetamodel;
  user: string | null;
  locale: Locale;
  clock: Clock;
};
