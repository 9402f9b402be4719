import * as api from './api.js';
import {el, table, time, text, banner} from './dom.js';
import {confirmAction} from './confirm.js';
import {GLOBAL_ACTIONS, BRANCH_ACTIONS, branchName} from './status.js';
import {statusTag} from './transactions.js';

function detail(label, value) {
  return [el('dt', {text: label}), el('dd', {}, value)];
}

/**
 * Runs one console action after the operator confirmed it, then shows the answer (the server's reason
 * when it refused) and reloads the page's data.
 */
async function act(action, params, target, reload) {
  const confirmed = await confirmAction(`${action.label}?`, target, action.explain);
  if (!confirmed) {
    return;
  }
  try {
    await api.consoleAction(action.method, action.path, params);
    banner('ok', `${action.label}: done for ${target}`);
  } catch (e) {
    banner('error', `${action.label} refused: ${e.message}`);
  }
  reload();
}

/** One transaction: its fields, the global actions, its branches with theirs, and its row locks. */
export function render(view, xid) {
  const box = el('div', {id: 'tx-page'}, el('p', {class: 'muted', text: 'Loading…'}));
  view.append(el('h1', {}, 'Transaction ', el('span', {class: 'mono', id: 'tx-xid', text: xid})), box);
  let stopped = false;
  const reload = () => {
    if (!stopped) {
      load(box, xid, reload);
    }
  };
  reload();
  return () => {
    stopped = true;
  };
}

async function load(box, xid, reload) {
  let tx;
  let locks;
  try {
    const page = await api.consoleQuery('globalSession/query', {xid, withBranch: 'true', pageNum: 1, pageSize: 1});
    tx = (page.data || [])[0];
    locks = tx ? (await api.consoleQuery('globalLock/query', {xid, pageNum: 1, pageSize: 100})) : null;
  } catch (e) {
    banner('error', e.message);
    return;
  }
  if (!tx) {
    box.replaceChildren(el('p', {id: 'tx-missing', text: 'No such transaction: it never existed here, or it '
      + 'ended and its record was purged after the retention period.'}));
    return;
  }
  const status = Number(tx.status);
  const live = tx.live !== false;
  const globalButtons = live ? GLOBAL_ACTIONS.filter((a) => a.when(status)).map((a) => el('button', {
    type: 'button', class: a.danger ? 'danger' : '', dataset: {action: a.id}, text: a.label,
    onclick: () => act(a, {xid}, `global transaction ${xid}`, reload)})) : [];
  const branches = tx.branchSessionVOs || [];
  const lockRows = (locks && locks.data) || [];
  box.replaceChildren(
    el('div', {class: 'card'},
      el('dl', {class: 'details', id: 'tx-detail'},
        detail('Status', statusTag(status)),
        detail('State', live ? 'live' : `ended ${time(tx.endTime)}`),
        detail('Application', text(tx.applicationId)),
        detail('Transaction group', text(tx.transactionServiceGroup)),
        detail('Name', text(tx.transactionName)),
        detail('Transaction id', text(tx.transactionId)),
        detail('Begin', time(tx.beginTime)),
        detail('Timeout', tx.timeout ? `${text(tx.timeout)} ms` : ''),
        detail('Last action', tx.lastActionBy ? `${text(tx.lastActionBy)} at ${time(tx.lastActionTime)}` : 'none')),
      live ? el('div', {class: 'actions', id: 'tx-actions'}, globalButtons)
        : el('p', {class: 'muted', text: 'Ended: no action applies.'})),
    el('h2', {text: `Branches (${branches.length})`}),
    branches.length === 0 ? el('p', {class: 'muted', id: 'no-branches', text: live ? 'No branch registered.'
      : 'An ended transaction keeps no branches.'})
      : table('branches', [{title: 'Branch id'}, {title: 'Type'}, {title: 'Status'}, {title: 'Resource'},
        {title: 'Lock key'}, {title: 'Client'}, {title: 'Actions'}],
      branches.map((b) => ({attrs: {dataset: {branch: text(b.branchId)}}, cells: [text(b.branchId),
        text(b.branchType), el('span', {class: 'tag', text: branchName(b.status), title: `status ${b.status}`}),
        text(b.resourceId), el('span', {class: 'mono', text: text(b.lockKey)}), text(b.clientId),
        BRANCH_ACTIONS.filter((a) => a.when(Number(b.status))).map((a) => el('button', {type: 'button',
          class: a.danger ? 'small danger' : 'small', dataset: {action: a.id}, text: a.label,
          onclick: () => act(a, {xid, branchId: b.branchId}, `branch ${b.branchId} of ${xid}`, reload)}))]}))),
    el('h2', {text: `Row locks (${text(locks ? locks.total : 0)})`}),
    lockRows.length === 0 ? el('p', {class: 'muted', id: 'no-locks', text: 'No row lock held.'})
      : table('locks', [{title: 'Resource'}, {title: 'Table'}, {title: 'Primary key'}, {title: 'Branch id'},
        {title: 'Actions'}],
      lockRows.map((l) => ({cells: [text(l.resourceId), text(l.tableName), el('span', {class: 'mono',
        text: text(l.pk)}), text(l.branchId), el('button', {type: 'button', class: 'small danger',
        dataset: {action: 'release-locks'}, text: 'Release branch locks',
        onclick: () => act({label: 'Release the branch\'s row locks', method: 'DELETE', path: 'globalLock/delete',
          explain: 'Every row lock of this branch is released; the branch and transaction stay.'},
        {xid, branchId: l.branchId, tableName: l.tableName, resourceId: l.resourceId, pk: l.pk},
        `branch ${l.branchId} of ${xid}`, reload)})]}))));
}
