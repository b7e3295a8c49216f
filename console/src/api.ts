/** The console's only way to the api: same origin, staff JWT, one refresh on 401. */

export interface Session {
  accessToken: string;
  refreshToken: string;
  brandSlug: string;
  role: string;
  staffId: string;
}

const STORAGE_KEY = 'console.session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = (session: Session | null) => void;

/**
 * Tokens live in sessionStorage (per tab, gone when the tab closes) and in memory; the refresh
 * token rotates on every use, so concurrent 401s share one refresh.
 */
class SessionStore {
  private current: Session | null = load();
  private listeners = new Set<Listener>();
  private refreshing: Promise<Session | null> | null = null;

  get(): Session | null {
    return this.current;
  }

  set(session: Session | null): void {
    this.current = session;
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener(session);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refresh(): Promise<Session | null> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<Session | null> {
    const session = this.current;
    if (!session) return null;
    const res = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    if (!res.ok) {
      this.set(null);
      return null;
    }
    const body = (await res.json()) as { accessToken: string; refreshToken: string };
    const next = { ...session, accessToken: body.accessToken, refreshToken: body.refreshToken };
    this.set(next);
    return next;
  }
}

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export const sessions = new SessionStore();

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(
      res.status,
      body.error?.code ?? 'error',
      body.error?.message ?? res.statusText,
    );
  } catch {
    return new ApiError(res.status, 'error', res.statusText);
  }
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const send = (session: Session | null) =>
    fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  let res = await send(sessions.get());
  if (res.status === 401 && sessions.get()) {
    const renewed = await sessions.refresh();
    if (renewed) res = await send(renewed);
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function login(brandSlug: string, email: string, password: string): Promise<Session> {
  const res = await fetch('/v1/auth/staff/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brandSlug, email, password }),
  });
  if (!res.ok) throw await errorOf(res);
  const body = (await res.json()) as {
    accessToken: string;
    refreshToken: string;
    subject: { id: string; role?: string };
  };
  const session: Session = {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    brandSlug,
    role: body.subject.role ?? 'staff',
    staffId: body.subject.id,
  };
  sessions.set(session);
  return session;
}

export async function logout(): Promise<void> {
  const session = sessions.get();
  sessions.set(null);
  if (session)
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
}

export const money = (minor: number | null | undefined): string =>
  minor === null || minor === undefined
    ? '—'
    : (minor / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

export const percent = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;

export const errorText = (error: unknown): string =>
  error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
