// What every page script shares: the page's data block (server-rendered JSON, never
// executed), its texts with {placeholder} filling, and a DOM builder that puts user data
// only into text nodes and attribute values, never into HTML.

export const data = JSON.parse(document.getElementById('page-data')?.textContent || '{}');
export const texts = data.texts || {};
export const lang = data.lang || document.documentElement.lang || 'de';

export const t = (key, values = {}) =>
  (texts[key] ?? key).replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));

export const $ = (id) => document.getElementById(id);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
