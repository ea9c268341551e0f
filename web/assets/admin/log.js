// The event's audit log.
import { t, texts, h } from '../lib/page.js';
import { eventNav } from '../admin.js';
import { api, app, enc, fmtDateTime } from './common.js';

// An entry's detail in words ("Anmeldung: 12 · Grund: Ticket vergessen"), not as JSON.
function describe(detail) {
  const value = (v) => {
    if (typeof v === 'boolean') return t(v ? 'log.yes' : 'log.no');
    if (Array.isArray(v)) return v.map(value).join(', ');
    if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${value(x)}`).join(', ');
    return String(v);
  };
  return Object.entries(detail || {})
    .filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => h('span', { class: 'detail' }, `${texts[`log.key.${k}`] ?? k}: `, h('bdi', {}, value(v))));
}

export async function logView(event) {
  const body = h('tbody');
  const more = h('p');
  const load = async (before) => {
    const { entries } = await api('GET', `/api/v1/events/${enc(event.slug)}/audit${before ? `?before=${before}` : ''}`);
    body.append(...entries.map((e) => h('tr', {}, h('td', {}, fmtDateTime(e.at)), h('td', {}, e.user), h('td', {}, t(`action.${e.action}`)),
      h('td', { class: 'hint' }, ...describe(e.detail)))));
    more.replaceChildren(entries.length === 100 ? h('button', { type: 'button', onclick: () => load(entries[entries.length - 1].id) }, t('log.more')) : '');
  };
  app.replaceChildren(eventNav(event, 'log'), h('p', { class: 'hint' }, t('log.hint')),
    // Scrolls sideways on a narrow screen: focusable so that a keyboard can scroll it too.
    h('table', { class: 'list', tabindex: 0, 'aria-label': t('log.table') }, h('thead', {}, h('tr', {}, ['log.when', 'log.who', 'log.action', 'log.detail'].map((k) => h('th', { scope: 'col' }, t(k))))), body), more);
  await load();
}
