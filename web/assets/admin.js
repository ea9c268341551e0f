// The organisers' workspace: one page, several views (web/assets/admin/*.js), all through
// the organiser API with the login cookie and the CSRF token from the page's data block.
// This module routes between the views.
import { lang, t, h } from './lib/page.js';
import { accountView } from './admin/account.js';
import { attendeesView, mailsView } from './admin/attendees.js';
import { api, app, enc, errorBox, fmtDateTime, me } from './admin/common.js';
import { dashboardView } from './admin/dashboard.js';
import { devicesView } from './admin/devices.js';
import { editorView } from './admin/editor.js';
import { eventsView } from './admin/events.js';
import { logView } from './admin/log.js';
import { messagesView } from './admin/messages.js';
import { organisationsView, organisationView } from './admin/organisations.js';
import { webhooksView } from './admin/webhooks.js';

export function go(path) {
  history.pushState(null, '', path);
  render();
}

export function link(path, ...children) {
  return h('a', { href: path, onclick: (e) => { if (e.metaKey || e.ctrlKey) return; e.preventDefault(); go(path); } }, ...children);
}

let stopView = () => {};
// A view that keeps something running (a timer) says here how to stop it when it is left.
export function onLeave(stop) {
  stopView = stop;
}

export async function render() {
  stopView();
  stopView = () => {};
  const parts = location.pathname.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
  app.replaceChildren(h('p', { class: 'hint' }, t('app.loading')));
  try {
    if (parts.length === 0) await eventsView();
    else if (parts[0] === 'account') await accountView();
    else if (parts[0] === 'organisations' && parts[1]) await organisationView(parts[1]);
    else if (parts[0] === 'organisations') await organisationsView();
    else if (parts[0] === 'events' && parts[1] === 'new') await editorView(null);
    else if (parts[0] === 'events' && parts[1]) {
      const slug = parts[1];
      const view = parts[2] || 'dashboard';
      const event = await api('GET', `/api/v1/events/${enc(slug)}?lang=${lang}`);  // texts in the organiser's language
      const views = { dashboard: dashboardView, attendees: attendeesView, devices: devicesView, edit: editorView, log: logView, mails: mailsView, messages: messagesView, webhooks: webhooksView };
      await (views[view] || dashboardView)(event);
    } else await eventsView();
  } catch (err) {
    if (err.status !== 401) app.replaceChildren(errorBox(err), h('p', {}, link('/admin', t('nav.events'))));
  }
  document.getElementById('main')?.focus();
}

window.addEventListener('popstate', render);

export function topNav(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('nav.label') },
    link('/admin', t('nav.events')), ' ', link('/admin/organisations', t('nav.organisations')), ' ', link('/admin/account', t('nav.account')),
    h('span', { class: 'who' }, me.email));
}

export function eventNav(event, current) {
  const base = `/admin/events/${enc(event.slug)}`;
  const item = (view, key) => {
    const a = link(view === 'dashboard' ? base : `${base}/${view}`, t(key));
    if (view === current) a.setAttribute('aria-current', 'page');
    return a;
  };
  return h('div', {},
    topNav(),
    h('h1', {}, event.title, ' ', h('span', { class: `badge ${event.status}` }, t(`status.${event.status}`))),
    h('p', { class: 'hint' }, fmtDateTime(event.starts_at), ' – ', fmtDateTime(event.ends_at), event.venue ? ` · ${event.venue}` : '', ' · ',
      h('a', { href: `/e/${enc(event.slug)}`, target: '_blank', rel: 'noopener' }, t('event.public_page'))),
    h('nav', { class: 'tabs', 'aria-label': t('nav.event') },
      item('dashboard', 'nav.dashboard'), item('attendees', 'nav.attendees'), item('devices', 'nav.devices'),
      item('messages', 'nav.messages'), item('mails', 'nav.mails'), item('edit', 'nav.edit'), item('webhooks', 'nav.webhooks'), item('log', 'nav.log')));
}

render();
