// A small SVG line chart (no library): the last N points, y from 0 to the largest value shown.

import {el} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const HEIGHT = 160;
const LEFT = 40;
const BOTTOM = 18;
const TOP = 8;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    node.setAttribute(k, String(v));
  }
  return node;
}

function format(value, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return value.toFixed(digits);
}

export class LineChart {
  /** @param unit shown after the value, digits = decimals, capacity = points kept */
  constructor(id, title, unit, note, digits = 1, capacity = 30) {
    this.unit = unit;
    this.digits = digits;
    this.capacity = capacity;
    this.points = [];
    this.value = el('span', {class: 'value', text: '–'});
    this.plot = svg('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img',
      'aria-label': title});
    this.node = el('div', {class: 'chart card', id, dataset: {points: '0'}},
      el('div', {}, el('span', {class: 'title', text: title}), this.value),
      this.plot, el('div', {class: 'note', text: note}));
    this.draw();
  }

  /** Adds a point (null = no figure for that interval: a gap). */
  push(value) {
    this.points.push(value);
    if (this.points.length > this.capacity) {
      this.points.shift();
    }
    this.value.textContent = `${format(value, this.digits)} ${this.unit}`;
    this.node.dataset.points = String(this.points.length);
    const finite = this.points.filter((v) => v !== null && Number.isFinite(v));
    this.node.dataset.max = finite.length > 0 ? String(Math.max(...finite)) : '';
    this.draw();
  }

  draw() {
    while (this.plot.firstChild) {
      this.plot.removeChild(this.plot.firstChild);
    }
    const finite = this.points.filter((v) => v !== null && Number.isFinite(v));
    const max = Math.max(1, ...finite) * 1.1;
    const innerW = WIDTH - LEFT - 4;
    const innerH = HEIGHT - TOP - BOTTOM;
    const x = (i) => LEFT + (innerW * i) / Math.max(1, this.capacity - 1);
    const y = (v) => TOP + innerH - (innerH * v) / max;
    this.plot.appendChild(svg('line', {class: 'axis', x1: LEFT, y1: TOP + innerH, x2: WIDTH - 4, y2: TOP + innerH}));
    this.plot.appendChild(svg('line', {class: 'axis', x1: LEFT, y1: TOP, x2: LEFT, y2: TOP + innerH}));
    const top = svg('text', {x: 2, y: TOP + 8});
    top.textContent = format(max, max < 10 ? 1 : 0);
    const zero = svg('text', {x: 2, y: TOP + innerH});
    zero.textContent = '0';
    const span = svg('text', {x: LEFT, y: HEIGHT - 4});
    span.textContent = `last ${this.capacity} samples, 2 s apart`;
    this.plot.append(top, zero, span);
    // One path per run of consecutive figures, so a missing interval shows as a gap, not a zero.
    const offset = this.capacity - this.points.length;
    let run = [];
    const flush = () => {
      if (run.length > 0) {
        const d = run.map(([i, v], k) => `${k === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        const area = `${d} L${x(run[run.length - 1][0]).toFixed(1)},${y(0)} L${x(run[0][0]).toFixed(1)},${y(0)} Z`;
        this.plot.appendChild(svg('path', {class: 'area', d: area}));
        this.plot.appendChild(svg('path', {class: 'series', d: run.length === 1 ? `${d} h1` : d}));
      }
      run = [];
    };
    this.points.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        flush();
      } else {
        run.push([i + offset, v]);
      }
    });
    flush();
  }
}
