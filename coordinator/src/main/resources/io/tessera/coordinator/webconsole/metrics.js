// Reads the three figures the charts show from two consecutive scrapes of this node's /metrics
// (Prometheus text format).

/** Parses the text format into [{name, labels, value}] (comments and malformed lines skipped). */
export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) {
      continue;
    }
    const labels = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    let l;
    while ((l = re.exec(m[3] || '')) !== null) {
      labels[l[1]] = l[2];
    }
    samples.push({name: m[1], labels, value: Number(m[4])});
  }
  return samples;
}

function sum(samples, name) {
  let total = 0;
  let found = false;
  for (const s of samples) {
    if (s.name === name && Number.isFinite(s.value)) {
      total += s.value;
      found = true;
    }
  }
  return found ? total : null;
}

/** Cumulative request-latency buckets over every request type and answer: Map(le seconds → count). */
function buckets(samples) {
  const out = new Map();
  for (const s of samples) {
    if (s.name === 'tessera_request_seconds_bucket') {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      out.set(le, (out.get(le) || 0) + s.value);
    }
  }
  return out;
}

/**
 * p99 of the requests answered between two scrapes, as the upper bound of the bucket it falls in
 * (milliseconds); null when no request was answered.
 */
function p99(before, after) {
  const a = buckets(after);
  const b = buckets(before);
  const bounds = [...a.keys()].sort((x, y) => x - y);
  const total = (a.get(Infinity) || 0) - (b.get(Infinity) || 0);
  if (total <= 0) {
    return null;
  }
  for (const le of bounds) {
    if ((a.get(le) || 0) - (b.get(le) || 0) >= 0.99 * total) {
      return le === Infinity ? null : le * 1000;
    }
  }
  return null;
}

/** Keeps the previous scrape and turns each new one into {txPerSecond, p99Ms, pendingPhaseTwo}. */
export class Sampler {
  constructor() {
    this.previous = null;
  }

  next(text, atMs) {
    const samples = parse(text);
    const point = {pendingPhaseTwo: sum(samples, 'tessera_phase2_pending'), txPerSecond: null, p99Ms: null};
    if (this.previous !== null) {
      const seconds = (atMs - this.previous.atMs) / 1000;
      const before = sum(this.previous.samples, 'tessera_phase2_decisions_total');
      const after = sum(samples, 'tessera_phase2_decisions_total');
      if (seconds > 0 && before !== null && after !== null && after >= before) {
        point.txPerSecond = (after - before) / seconds;
      }
      point.p99Ms = p99(this.previous.samples, samples);
    }
    this.previous = {samples, atMs};
    return point;
  }
}
