// Calls to this node's control port. The token (the admin login's "Bearer …") lives in sessionStorage:
// it is gone when the tab closes, and it is sent only as the Authorization header of same-origin calls.

const TOKEN = 'tessera.console.token';
const USER = 'tessera.console.user';

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export function loggedIn() {
  return sessionStorage.getItem(TOKEN) !== null;
}

export function user() {
  return sessionStorage.getItem(USER) || '';
}

export function logout() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

function url(path, params) {
  const u = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && String(value).trim() !== '') {
      u.searchParams.set(key, String(value).trim());
    }
  }
  return u;
}

async function call(method, path, params, {body, text, missingOk} = {}) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN);
  if (token) {
    headers.Authorization = token;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url(path, params), {method, headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(`this node did not answer (${e.message})`, 0);
  }
  if (response.status === 401) {
    logout();
    window.dispatchEvent(new CustomEvent('tessera-logged-out'));
    throw new ApiError('your session ended (token expired or revoked): log in again', 401);
  }
  if (response.status === 403) {
    throw new ApiError('this user is not an administrator: the console needs the admin role', 403);
  }
  if (missingOk && response.status === 404) {
    return null;
  }
  if (text) {
    if (!response.ok) {
      throw new ApiError(`${path} answered HTTP ${response.status}`, response.status);
    }
    return response.text();
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (json === null) {
    throw new ApiError(`${path} answered HTTP ${response.status} without a JSON body`, response.status);
  }
  return json;
}

/** Seata's envelope: code "200" is success, anything else carries the reason in message. */
function unwrap(json) {
  if (json.code !== '200') {
    throw new ApiError(json.message || `failed (code ${json.code})`, 200);
  }
  return json;
}

/** Logs in and checks the user has the admin role (the login also answers for the client role). */
export async function login(username, password) {
  const json = await call('POST', '/api/v1/auth/login', {}, {body: {username, password}});
  if (json.code !== '200' || typeof json.data !== 'string') {
    throw new ApiError(json.code === '401' ? 'wrong user name or password' : (json.message || 'login failed'), 401);
  }
  sessionStorage.setItem(TOKEN, json.data);
  sessionStorage.setItem(USER, username);
  try {
    await members();
  } catch (e) {
    logout();
    throw e;
  }
}

export async function health() {
  return call('GET', '/health');
}

export async function members() {
  return unwrap(await call('GET', '/admin/v1/members')).data;
}

/** The Prometheus text, or null when this node runs with metrics.enabled=false (no /metrics route). */
export async function metrics() {
  return call('GET', '/metrics', {}, {text: true, missingOk: true});
}

export async function consoleQuery(path, params) {
  return unwrap(await call('GET', `/api/v1/console/${path}`, params));
}

export async function consoleAction(method, path, params) {
  return unwrap(await call(method, `/api/v1/console/${path}`, params));
}
