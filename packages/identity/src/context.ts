import type { Clock } from '@tenon/core';
import type { Database } from '@tenon/db';

export type IdentityDeps = { db: Database; clock: Clock; key: Uint8Array };

/** Where a request came from, for sessions and the audit trail. */
export type RequestMeta = { ip: string | null; userAgent: string | null; traceId: string | null };

export const REFRESH_TOKEN_DAYS = 14;
export const MAX_FAILED_LOGINS = 5;
