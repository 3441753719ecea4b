/** The console's own login endpoints: who am I, log in with a Kubernetes token, log out. */
import type { AuthInfo, LoginRequest } from '@meshlens/model';
import { errorForResponse, getJson, ServerUnreachableError } from '../api/client';

export const AUTH_INFO_PATH = '/api/auth/info';

export function fetchAuthInfo(signal?: AbortSignal): Promise<AuthInfo> {
  return getJson<AuthInfo>(AUTH_INFO_PATH, signal);
}

async function postJson(path: string, body: unknown): Promise<AuthInfo> {
  const origin = window.location.origin;
  let response: Response;
  try {
    // same-origin: the session cookie is httpOnly and SameSite=Strict; the browser sends it, scripts never see it.
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ServerUnreachableError(origin);
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorForResponse(response.status, response.statusText, parsed, origin);
  return parsed as AuthInfo;
}

export function login(token: string): Promise<AuthInfo> {
  const request: LoginRequest = { token };
  return postJson('/api/auth/login', request);
}

export function logout(): Promise<AuthInfo> {
  return postJson('/api/auth/logout', {});
}

/** The login page's message for a refused login: the server's sentence, without the generic prefix. */
export function loginErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^The server (refused|failed to answer) this request: /, '');
}
