// The signed-in token lives in this tab's sessionStorage only: never in a cookie, a URL or
// localStorage, so it is gone when the tab closes and other tabs never see it.
const KEY = 'msm.token';

export function readToken() {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}
