// DOM helpers. Every string from the server is set with textContent or as an attribute value, never
// parsed as HTML: transaction names, application ids, resource ids and keys come from clients.

/** el('td', {class: 'num', text: '3'}, child, …): an element with properties and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

export function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  return node;
}

/** A table: columns = [{title, cls?}], rows = arrays of cells (strings or nodes), extra row attributes. */
export function table(id, columns, rows) {
  return el('table', {id},
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', {class: c.cls, text: c.title})))),
    el('tbody', {}, rows.map((row) => el('tr', row.attrs || {},
      row.cells.map((cell, i) => el('td', {class: columns[i].cls}, cell))))));
}

export function time(ms) {
  if (ms === null || ms === undefined || ms === '' || Number(ms) <= 0) {
    return '';
  }
  const d = new Date(Number(ms));
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

/** Shows a message above the page (ok or error) until the next one or the next page. */
export function banner(kind, message) {
  const node = document.getElementById('banner');
  if (!message) {
    node.hidden = true;
    node.textContent = '';
    return;
  }
  node.className = kind;
  node.textContent = message;
  node.hidden = false;
}
