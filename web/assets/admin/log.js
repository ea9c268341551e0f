// The event's audit log.
import { t, h } from '../lib/page.js';
import { eventNav } from '../admin.js';
import { api, app, enc, fmtDateTime } from './common.js';

export async function logView(event) {
  const body = h('tbody');
  const more = h('p');
  const load = async (before) => {
    const { entries } = await api('GET', `/api/v1/events/${enc(event.slug)}/audit${before ? `?before=${before}` : ''}`);
    body.append(...entries.map((e) => h('tr', {}, h('td', {}, fmtDateTime(e.at)), h('td', {}, e.user), h('td', {}, t(`action.${e.action}`)),
      h('td', { class: 'hint' }, JSON.stringify(e.detail)))));
    more.replaceChildren(entries.length === 100 ? h('button', { type: 'button', onclick: () => load(entries[entries.length - 1].id) }, t('log.more')) : '');
  };
  app.replaceChildren(eventNav(event, 'log'), h('p', { class: 'hint' }, t('log.hint')),
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['log.when', 'log.who', 'log.action', 'log.detail'].map((k) => h('th', { scope: 'col' }, t(k))))), body), more);
  await load();
}
