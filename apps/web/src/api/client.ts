/** The one HTTP client of the console: bearer token, the server's envelope, coded errors, refresh on 401. */
import i18n from '../i18n/index.ts';

export type FieldError = { field: string; code: string; message: string };
export type Page<T> = {
  items: T[];
  total: number | null;
  page: number | null;
  pageSize: number;
  nextCursor?: string | null;
};

/** An error answered by the server: `code` is its stable machine code, `details` its field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldError[];
  constructor(status: number, code: string, message: string, details: FieldError[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const ACCESS = 'tenon.token';
const REFRESH = 'tenon.refresh';

export const tokens = {
  get access(): string | null {
    return sessionStorage.getItem(ACCESS);
  },
  set(pair: { accessToken: string; refreshToken: string }): void {
    sessionStorage.setItem(ACCESS, pair.accessToken);
    localStorage.setItem(REFRESH, pair.refreshToken);
  },
  clear(): void {
    sessionStorage.removeItem(ACCESS);
    localStorage.removeItem(REFRESH);
  },
  get refresh(): string | null {
    return localStorage.getItem(REFRESH);
  },
};

export type RequestOptions = {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw response wanted (downloads): the caller reads it. */
  raw?: boolean;
};

let refreshing: Promise<boolean> | null = null;

async function refreshOnce(): Promise<boolean> {
  const refreshToken = tokens.refresh;
  if (!refreshToken) return false;
  refreshing ??= fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  })
    .then(async (res) => {
      if (!res.ok) return false;
      tokens.set((await res.json()).data);
      return true;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { 'accept-language': i18n.language, ...options.headers };
  const token = tokens.access;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(path, { method: options.method ?? 'GET', headers, body });
}

/**
 * Signs out: the tokens are forgotten at once, and the server ends the session (its refresh token
 * dies, its access token is refused by every server process). An access token that has expired is
 * renewed once, only to end the session with it. Best effort: a session that is already over, or a
 * server out of reach, leaves nothing to do here.
 */
export async function signOut(): Promise<void> {
  const access = tokens.access;
  const refresh = tokens.refresh;
  tokens.clear();
  const logout = (token: string) =>
    fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  try {
    if (access && (await logout(access)).ok) return;
    if (!refresh) return;
    const renewed = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: refresh }),
    });
    if (renewed.ok) await logout((await renewed.json()).data.accessToken);
  } catch {
    // out of reach: the tokens are forgotten all the same
  }
}

/** Calls the API; resolves to `data` of the envelope, or throws an `ApiError`. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await rawApi(path, options);
  const json = await res.json();
  return json.data as T;
}

/** Like `api`, but resolves to the response itself (ETag headers, downloads). */
export async function rawApi(path: string, options: RequestOptions = {}): Promise<Response> {
  let res = await send(path, options);
  if (res.status === 401 && !path.startsWith('/api/v1/auth/') && (await refreshOnce())) {
    res = await send(path, options);
  }
  if (res.ok) return res;
  let json: { message?: string; error?: { code?: string; details?: FieldError[] } } = {};
  try {
    json = await res.json();
  } catch {
    // not JSON: fall back to the status text
  }
  if (res.status === 401 && json.error?.code === 'AUTH_REQUIRED') tokens.clear();
  throw new ApiError(
    res.status,
    json.error?.code ?? `HTTP_${res.status}`,
    json.message ?? res.statusText,
    json.error?.details ?? [],
  );
}

/** Changes the signed-in user's password; the server then ends every session of theirs. */
export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return api('/api/v1/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
}

/** What to tell the user about a failed call: the server's message, then its field errors. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError)
    return [err.message, ...err.details.map((d) => `${d.field}: ${d.message}`)].join(' · ');
  return err instanceof Error ? err.message : String(err);
}
