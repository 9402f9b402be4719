import * as api from './api.js';
import {el, clear, table, text, banner} from './dom.js';
import {LineChart} from './charts.js';
import {Sampler} from './metrics.js';

const REFRESH_MS = 2000;

// Kept across visits of the page, so the charts keep their history while the tab stays open.
const sampler = new Sampler();
const charts = {
  tps: new LineChart('chart-tps', 'Transactions per second', 'tx/s',
    'Commit/rollback decisions applied per second (every replica applies every decision).', 1),
  p99: new LineChart('chart-p99', 'Request latency p99', 'ms',
    'Transaction-port requests answered by this node (clients send most to the leader: see its console), '
      + 'upper bound of the p99 bucket.', 0),
  pending: new LineChart('chart-pending', 'Pending phase two', 'tx',
    'Decided global transactions whose phase two has not finished.', 0),
};

function roleTag(role) {
  return el('span', {class: role === 'leader' || role === 'LEADER' ? 'tag leader' : 'tag', text: text(role)});
}

/** A link to the console of the member at control address host:port (same scheme as this page). */
function consoleLink(control) {
  if (!control) {
    return '';
  }
  return el('a', {class: 'open-console', href: `${window.location.protocol}//${control}/`, text: control});
}

function renderNode(box, health) {
  clear(box).append(
    el('h2', {text: `This node: ${text(health.nodeId)}`}),
    el('dl', {class: 'details', id: 'this-node'},
      el('dt', {text: 'Status'}), el('dd', {}, el('span', {class: health.status === 'ok' ? 'tag ok' : 'tag bad',
        text: text(health.status)}), health.reason ? ` ${health.reason}` : ''),
      el('dt', {text: 'Role'}), el('dd', {}, roleTag(health.role)),
      el('dt', {text: 'Group'}), el('dd', {text: text(health.group)}),
      el('dt', {text: 'Term'}), el('dd', {text: text(health.term)}),
      el('dt', {text: 'Leader'}), el('dd', {text: text(health.leader || 'none known')}),
      el('dt', {text: 'Applied index'}), el('dd', {text: text(health.lastAppliedIndex)}),
      el('dt', {text: 'Last snapshot index'}), el('dd', {text: text(health.lastSnapshotIndex)})));
}

function renderMembers(box, data) {
  const rows = data.members || [];
  const applied = rows.map((m) => m.appliedIndex).filter((v) => v !== null && v !== undefined);
  const newest = applied.length > 0 ? Math.max(...applied) : null;
  clear(box).append(
    el('h2', {text: 'Members'}),
    el('p', {id: 'cluster-summary'},
      'Leader ', el('strong', {text: text(data.leader || 'none known')}), `, term ${text(data.term)}, `
        + `${rows.length} members.`),
    table('members', [
      {title: 'Node'}, {title: 'Role'}, {title: 'Applied index', cls: 'num'}, {title: 'Lag', cls: 'num'},
      {title: 'Control'}, {title: 'Transaction'}, {title: 'Raft'}],
    rows.map((m) => ({attrs: {dataset: {node: text(m.nodeId)}}, cells: [
      text(m.nodeId), roleTag(m.role),
      m.appliedIndex === null || m.appliedIndex === undefined ? 'no answer' : text(m.appliedIndex),
      m.appliedIndex === null || m.appliedIndex === undefined || newest === null ? ''
        : text(newest - m.appliedIndex),
      consoleLink(m.control), text(m.transaction), text(m.raft)]}))),
    el('p', {class: 'muted', text: 'Lag: entries behind the member furthest ahead, asked now. Each node serves '
      + 'this console on its control address (log in there again: the login is kept per address).'}));
}

export function render(view) {
  const nodeBox = el('div', {class: 'card', id: 'node-card'});
  const membersBox = el('div', {class: 'card', id: 'members-card'});
  const metricsOff = el('p', {id: 'metrics-off', class: 'muted', hidden: true,
    text: 'No charts: this node runs with metrics.enabled=false.'});
  view.append(el('h1', {text: 'Cluster'}), metricsOff, el('div', {class: 'charts'}, charts.tps.node,
    charts.p99.node, charts.pending.node), membersBox, nodeBox);
  let stopped = false;
  let timer = null;
  let failed = false;
  const refresh = async () => {
    try {
      const [health, members, metrics] = await Promise.all([api.health(), api.members(), api.metrics()]);
      if (stopped) {
        return;
      }
      renderNode(nodeBox, health);
      renderMembers(membersBox, members);
      metricsOff.hidden = metrics !== null;
      if (metrics !== null) {
        const point = sampler.next(metrics, Date.now());
        charts.tps.push(point.txPerSecond);
        charts.p99.push(point.p99Ms);
        charts.pending.push(point.pendingPhaseTwo);
      }
      if (failed) {
        // The node answers again: take down the error this page put up.
        failed = false;
        banner(null, null);
      }
    } catch (e) {
      if (!stopped) {
        failed = true;
        banner('error', e.message);
      }
    }
    if (!stopped) {
      timer = setTimeout(refresh, REFRESH_MS);
    }
  };
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
