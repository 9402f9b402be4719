// The console's entry point: a hash router over the pages, the header, and the login guard.

import * as api from './api.js';
import {clear, banner} from './dom.js';
import * as login from './login.js';
import * as cluster from './cluster.js';
import * as transactions from './transactions.js';
import * as transaction from './transaction.js';

const view = document.getElementById('view');
let dispose = () => {};

function header(page) {
  const signedIn = api.loggedIn();
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  document.getElementById('user').textContent = signedIn ? `admin: ${api.user()}` : '';
  for (const name of ['cluster', 'transactions']) {
    document.getElementById(`nav-${name}`).classList.toggle('active', page === name);
  }
}

async function showNode() {
  try {
    const health = await api.health();
    document.getElementById('node').textContent = `node ${health.nodeId} · ${String(health.role).toLowerCase()}`;
  } catch (e) {
    document.getElementById('node').textContent = '';
  }
}

function route() {
  dispose();
  clear(view);
  const hash = window.location.hash || '#/cluster';
  const [path, queryText] = hash.slice(1).split('?', 2);
  const query = new URLSearchParams(queryText || '');
  if (!api.loggedIn() && path !== '/login') {
    window.location.hash = `#/login?next=${encodeURIComponent(hash)}`;
    return;
  }
  if (path === '/login') {
    header('login');
    const next = query.get('next');
    // Only our own pages: a crafted link cannot send the operator elsewhere after the login.
    dispose = login.render(view, next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/cluster');
  } else if (path.startsWith('/transaction/')) {
    header('transactions');
    let xid;
    try {
      xid = decodeURIComponent(path.slice('/transaction/'.length));
    } catch (e) {
      xid = '';
    }
    dispose = transaction.render(view, xid);
  } else if (path === '/transactions') {
    header('transactions');
    dispose = transactions.render(view, query);
  } else {
    header('cluster');
    dispose = cluster.render(view);
  }
}

window.addEventListener('hashchange', () => {
  banner(null, null);
  route();
});
window.addEventListener('tessera-logged-out', () => {
  header('login');
  window.location.hash = '#/login';
});
document.getElementById('logout').addEventListener('click', () => {
  api.logout();
  banner(null, null);
  window.location.hash = '#/login';
});
showNode();
route();
