import * as api from './api.js';
import {el, table, time, text, banner} from './dom.js';
import {GLOBAL_STATUS, globalName, globalTone} from './status.js';

const FILTERS = ['xid', 'applicationId', 'status', 'transactionName'];
const PAGE_SIZES = ['10', '20', '50', '100'];

export function link(xid) {
  // The xid is URL-encoded into our own fragment: it can never become a script URL or markup.
  return el('a', {href: `#/transaction/${encodeURIComponent(xid)}`, class: 'mono', text: xid});
}

export function statusTag(code) {
  return el('span', {class: `tag ${globalTone(code)}`, text: globalName(code), title: `status ${code}`});
}

function go(params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v).trim() !== '') {
      query.set(k, String(v).trim());
    }
  }
  window.location.hash = `#/transactions?${query}`;
}

/** The transaction list: filters and paging over globalSession/query, newest first. */
export function render(view, query) {
  const params = {pageNum: query.get('pageNum') || '1', pageSize: query.get('pageSize') || '20'};
  for (const f of FILTERS) {
    params[f] = query.get(f) || '';
  }
  const input = (name, label, size) => el('label', {}, label,
    el('input', {id: `f-${name}`, name, value: params[name], size}));
  const status = el('select', {id: 'f-status', name: 'status'}, el('option', {value: '', text: 'any'}),
    GLOBAL_STATUS.map((n, i) => el('option', {value: String(i), text: `${i} ${n}`,
      selected: params.status === String(i)})));
  const pageSize = el('select', {id: 'f-pageSize', name: 'pageSize'},
    PAGE_SIZES.map((n) => el('option', {value: n, text: n, selected: params.pageSize === n})));
  const form = el('form', {class: 'filters card', id: 'filters'},
    input('xid', 'XID', 40), input('applicationId', 'Application', 16), el('label', {}, 'Status', status),
    input('transactionName', 'Transaction name', 20), el('label', {}, 'Per page', pageSize),
    el('button', {id: 'f-search', type: 'submit', class: 'primary', text: 'Search'}),
    el('button', {id: 'f-reset', type: 'button', text: 'Reset', onclick: () => go({})}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {pageNum: '1', pageSize: pageSize.value, status: status.value};
    for (const f of ['xid', 'applicationId', 'transactionName']) {
      next[f] = form.elements[f].value;
    }
    go(next);
  });
  const results = el('div', {id: 'results'}, el('p', {class: 'muted', text: 'Loading…'}));
  view.append(el('h1', {text: 'Transactions'}), form, results);
  load(results, params);
  return () => {};
}

async function load(results, params) {
  let page;
  try {
    page = await api.consoleQuery('globalSession/query', params);
  } catch (e) {
    results.replaceChildren(el('p', {class: 'muted', text: 'No results.'}));
    banner('error', e.message);
    return;
  }
  const rows = page.data || [];
  const pages = Math.max(1, page.pages || 0);
  const current = Number(page.pageNum || params.pageNum);
  const move = (n) => go({...params, pageNum: String(n)});
  results.replaceChildren(
    rows.length === 0 ? el('p', {id: 'no-results', class: 'muted', text: 'No transaction matches.'})
      : table('tx-table', [{title: 'XID'}, {title: 'Status'}, {title: 'Application'}, {title: 'Group'},
        {title: 'Name'}, {title: 'Begin'}, {title: 'Timeout', cls: 'num'}, {title: 'Live'}, {title: 'Last action'}],
      rows.map((t) => ({attrs: {dataset: {xid: text(t.xid)}}, cells: [link(text(t.xid)), statusTag(t.status),
        text(t.applicationId), text(t.transactionServiceGroup), text(t.transactionName), time(t.beginTime),
        t.timeout ? `${text(t.timeout)} ms` : '', t.live === false ? 'ended' : 'live',
        text(t.lastActionBy)]}))),
    el('div', {class: 'pager'},
      el('button', {id: 'page-prev', type: 'button', text: '‹ Newer', disabled: current <= 1,
        onclick: () => move(current - 1)}),
      el('span', {id: 'page-info', text: `Page ${current} of ${pages} · ${text(page.total)} transaction${page.total === 1 ? '' : 's'}`}),
      el('button', {id: 'page-next', type: 'button', text: 'Older ›', disabled: current >= pages,
        onclick: () => move(current + 1)})));
}
