// The dashboard's entry: sign-in (a pasted token, checked with /whoami, kept in sessionStorage),
// the role that decides what is offered, and the two views chosen by the URL's hash
// (#/ the fleet, #/servers/NAME one server). The hash never holds the token.
import { ApiError, apiJson, UNAUTHORIZED_EVENT } from './api.js';
import { FleetView } from './fleet.js';
import { HealthHistory } from './healthHistory.js';
import { ServerView } from './server.js';
import { forgetToken, readToken, storeToken } from './session.js';

const ROLE_RANK = { client: 0, viewer: 1, operator: 2, admin: 3 };

const $ = (id) => document.getElementById(id);
const dialog = $('confirm-dialog');
const history = new HealthHistory();
const fleet = new FleetView($('fleet-view'), { dialog, history });
const server = new ServerView($('server-view'), { dialog, history });
let principal;

function showOnly(view) {
  for (const id of ['loading', 'sign-in-view', 'fleet-view', 'server-view']) $(id).hidden = id !== view;
}

/** Moves focus to the new view's heading, so keyboard and screen reader users land in it. */
function focusHeading(id) {
  $(id).focus({ preventScroll: false });
}

function route({ focus = true } = {}) {
  if (!principal) return;
  const canAct = ROLE_RANK[principal.role] >= ROLE_RANK.operator;
  const match = /^#\/servers\/(.+)$/.exec(location.hash);
  if (match) {
    let name;
    try {
      name = decodeURIComponent(match[1]);
    } catch {
      location.hash = '#/';
      return;
    }
    fleet.hide();
    showOnly('server-view');
    server.show(name, { canAct });
    document.title = `${name} · msm fleet`;
    if (focus) focusHeading('server-title');
  } else {
    server.hide();
    showOnly('fleet-view');
    fleet.show({ canAct });
    document.title = 'msm fleet';
    if (focus) focusHeading('fleet-title');
  }
}

function showSignIn(message = '') {
  principal = undefined;
  fleet.forget();
  server.forget();
  $('session').hidden = true;
  showOnly('sign-in-view');
  $('sign-in-error').textContent = message;
  $('token-input').value = '';
  $('token-input').focus();
}

function signedIn(who) {
  principal = who;
  $('who').textContent = `${who.name} (${who.role}${who.servers ? `, ${who.servers.length} ${who.servers.length === 1 ? 'server' : 'servers'}` : ''})`;
  $('session').hidden = false;
  route();
}

async function signIn(token) {
  try {
    const who = await apiJson('/whoami', { token });
    if (ROLE_RANK[who.role] < ROLE_RANK.viewer) {
      showSignIn(`The token "${who.name}" has the role ${who.role}, which may only use the MCP gateway; the dashboard needs viewer or above.`);
      return;
    }
    storeToken(token);
    signedIn(who);
  } catch (err) {
    forgetToken();
    showSignIn(err instanceof ApiError && err.status === 401 ? `The service refused this token: ${err.message}.` : `Could not sign in: ${err.message}`);
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) {
    $('sign-in-error').textContent = 'Paste a token first.';
    $('token-input').focus();
    return;
  }
  void signIn(token);
});

$('sign-out').addEventListener('click', () => {
  forgetToken();
  showSignIn('Signed out.');
});

window.addEventListener(UNAUTHORIZED_EVENT, (event) => {
  forgetToken();
  showSignIn(`Signed out: ${event.detail}.`);
});

window.addEventListener('hashchange', () => route());

const saved = readToken();
if (saved) void signIn(saved);
else showSignIn();
