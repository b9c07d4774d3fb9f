// The admin token (SANDBOX_ADMIN_TOKEN): entered in the sign-in box or given once as
// `/__sandbox/#token=…` (read at load and whenever the hash changes, no reload needed), kept
// for this tab only (sessionStorage), and never left in the address bar.

const KEY = 'sandbox-admin-token';

export const adminToken = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** Takes `#token=…` out of the address bar into the tab's storage; true when there was one. */
export function takeTokenFromHash() {
  const value = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!value) return false;
  adminToken.set(value);
  history.replaceState(history.state, '', location.pathname + location.search);
  return true;
}
