// Calls to the service's own API: same origin only (a path, never a URL), the bearer token from
// the session, no cookies. Errors carry the API's message and code; a 401 anywhere signs out.
import { readToken } from './session.js';

const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fired on window when the service refuses the token (revoked, expired). */
export const UNAUTHORIZED_EVENT = 'msm:unauthorized';

async function errorOf(response) {
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.message === 'string') return new ApiError(response.status, body.error.message, body.error.code);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, `the service answered ${response.status} ${response.statusText}`, 'HTTP_ERROR');
}

/** A response for `path` (below /api/v1), or an ApiError. `token` overrides the session's. */
export async function apiFetch(path, { method = 'GET', body, signal, accept = 'application/json', token = readToken() } = {}) {
  if (!path.startsWith('/')) throw new Error(`API paths start with "/": ${path}`);
  if (!token) throw new ApiError(401, 'not signed in', 'UNAUTHORIZED');
  const headers = { authorization: `Bearer ${token}`, accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'the service cannot be reached', 'OFFLINE');
  }
  if (response.ok) return response;
  const error = await errorOf(response);
  if (response.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { detail: error.message }));
  throw error;
}

export async function apiJson(path, options) {
  return (await apiFetch(path, options)).json();
}

/** A server's path segment: names are validated by the API, but never trusted to be URL-safe. */
export function serverPath(name, suffix = '') {
  return `/servers/${encodeURIComponent(name)}${suffix}`;
}
