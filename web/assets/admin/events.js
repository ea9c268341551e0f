// The list of the organiser's events.
import { t, h } from '../lib/page.js';
import { link, topNav } from '../admin.js';
import { api, app, enc, fmtDateTime, fmtNumber } from './common.js';

export async function eventsView() {
  const { events } = await api('GET', '/api/v1/events');
  const now = new Date();
  const upcoming = events.filter((e) => new Date(e.ends_at) >= now).reverse();
  const past = events.filter((e) => new Date(e.ends_at) < now);
  const table = (list) => list.length === 0 ? h('p', { class: 'hint' }, t('events.none')) : h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, ['events.title', 'events.when', 'events.status', 'events.confirmed', 'events.waitlisted', 'events.checked_in'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, list.map((e) => h('tr', {},
      h('td', {}, link(`/admin/events/${enc(e.slug)}`, e.title), e.venue ? h('div', { class: 'hint' }, e.venue) : null),
      h('td', {}, fmtDateTime(e.starts_at)),
      h('td', {}, h('span', { class: `badge ${e.status}` }, t(`status.${e.status}`))),
      h('td', { class: 'num' }, e.capacity === null ? fmtNumber(e.confirmed) : `${fmtNumber(e.confirmed)} / ${fmtNumber(e.capacity)}`),
      h('td', { class: 'num' }, fmtNumber(e.waitlisted)),
      h('td', { class: 'num' }, fmtNumber(e.checked_in))))));
  app.replaceChildren(
    topNav(),
    h('h1', {}, t('events.heading')),
    h('p', {}, link('/admin/events/new', h('span', { class: 'button primary' }, t('events.new')))),
    h('h2', {}, t('events.upcoming')), table(upcoming),
    h('h2', {}, t('events.past')), table(past));
}
