// The control surface as the page calls it: same origin, JSON bodies (the sandbox refuses
// form-like cross-site posts, so the page always sends JSON), the admin token when it has one.

/** A failed call: the HTTP status (0 when the sandbox did not answer) and the envelope's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(status ? `${status}: ${message}` : message);
    this.status = status;
    this.code = code;
  }
}

/** The sandbox asks for its admin token (or refused the one sent). */
export const isUnauthorised = (err) => err instanceof ApiError && err.status === 401 && err.code === 'invalid_admin_token';

/** `token()` reads the current admin token (null when signed out). */
export function createApi(token) {
  function headers(extra) {
    const value = token();
    return { ...(value ? { authorization: `Bearer ${value}` } : {}), ...extra };
  }

  async function send(method, path, init) {
    try {
      return await fetch(path, { method, cache: 'no-store', ...init });
    } catch (err) {
      throw new ApiError(0, 'offline', `the sandbox did not answer (${err.message})`);
    }
  }

  async function failure(res) {
    const text = await res.text();
    let envelope = null;
    try {
      envelope = JSON.parse(text).error;
    } catch {
      envelope = null;
    }
    return new ApiError(res.status, envelope?.code ?? null, envelope?.message ?? (text || res.statusText));
  }

  /** A JSON call; `body` (when given) is sent as JSON. Resolves to the parsed answer. */
  async function call(method, path, body) {
    const init = { headers: headers({ accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await send(method, path, init);
    if (!res.ok) throw await failure(res);
    return res.json();
  }

  /** Bytes the journal keeps (images), fetched with the token. */
  async function blob(path) {
    const res = await send('GET', path, { headers: headers({}) });
    if (!res.ok) throw await failure(res);
    return res.blob();
  }

  return { call, blob };
}
