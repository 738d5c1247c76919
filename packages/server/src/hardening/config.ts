/** Limits and browser-facing headers of the HTTP server; every field optional, defaults below. */

export type HardeningConfig = {
  /** Requests per minute on /api per signed-in user (per IP for anonymous calls); 0 turns it off. */
  rateLimitApi?: number;
  /** Sign-in and token-refresh attempts per minute per IP, and sign-ins per username; 0 turns it off. */
  rateLimitAuth?: number;
  /** The length of a rate-limit window in milliseconds (one minute). */
  rateLimitWindowMs?: number;
  /** Counts rate limits in this Redis, shared by every instance that uses it; otherwise in memory. */
  redisUrl?: string;
  /** Prefix of the rate-limit keys in Redis. */
  redisPrefix?: string;
  /** Origins allowed to call the API from a browser (`https://erp.example.com`); `*` allows any. */
  corsOrigins?: string[];
  /** Send `Strict-Transport-Security` (and upgrade insecure requests): only behind HTTPS. */
  hsts?: boolean;
  /** Largest JSON request body, in bytes. */
  bodyLimit?: number;
  /** Largest uploaded file, in bytes. */
  fileLimit?: number;
  /** Behind a reverse proxy: true (trust any), or the proxies' addresses/CIDRs, comma-separated. */
  trustProxy?: boolean | string;
};

export type ResolvedHardening = Required<Omit<HardeningConfig, 'redisUrl'>> & { redisUrl: string | null };

export const HARDENING_DEFAULTS: ResolvedHardening = {
  rateLimitApi: 600,
  rateLimitAuth: 10,
  rateLimitWindowMs: 60_000,
  redisUrl: null,
  redisPrefix: 'tenon:rl:',
  corsOrigins: [],
  hsts: false,
  bodyLimit: 5 * 1024 * 1024,
  fileLimit: 25 * 1024 * 1024,
  trustProxy: false,
};

const count = (name: string, value: number) => {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number >= 0, not ${value}`);
  return value;
};
const positive = (name: string, value: number) => {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number >= 1, not ${value}`);
  return value;
};

/** Fills in the defaults and refuses nonsense (a negative limit), so a typo fails at start, not later. */
export function resolveHardening(input: HardeningConfig = {}): ResolvedHardening {
  const c = { ...HARDENING_DEFAULTS, ...stripUndefined(input) };
  return {
    ...c,
    rateLimitApi: count('rateLimitApi', c.rateLimitApi),
    rateLimitAuth: count('rateLimitAuth', c.rateLimitAuth),
    rateLimitWindowMs: positive('rateLimitWindowMs', c.rateLimitWindowMs),
    bodyLimit: positive('bodyLimit', c.bodyLimit),
    fileLimit: positive('fileLimit', c.fileLimit),
    redisUrl: c.redisUrl || null,
    corsOrigins: c.corsOrigins.map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== ''),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
