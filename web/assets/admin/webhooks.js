// Webhooks: tell another system (a network's CRM) of each registration and check-in. Add one
// (its secret shown once), test it, see its last deliveries with the receiver's answer, retry one.
import { t, h } from '../lib/page.js';
import { eventNav } from '../admin.js';
import { api, app, enc, flash, fmtDateTime, labelled, showFieldErrors } from './common.js';

const kinds = ['registration.created', 'registration.changed', 'registration.cancelled', 'checkin.created'];

export async function webhooksView(event) {
  const panel = await webhooksPanel({ event: event.slug }, `/api/v1/events/${enc(event.slug)}/webhooks`);
  app.replaceChildren(eventNav(event, 'webhooks'), h('p', { class: 'hint' }, t('webhooks.hint')), ...panel);
}

// Adding and listing webhooks of one event ({event: slug}) or of an organisation
// ({organisation: slug}: every event it holds, those made later too).
export async function webhooksPanel(scope, listPath) {
  const list = h('div');
  const secret = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form inline-form' },
    h('h2', {}, t('webhooks.add_heading')),
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('webhooks.url', h('input', { type: 'url', name: 'url', 'data-path': 'url', required: true, placeholder: 'https://crm.example.org/einlass' })),
    h('fieldset', { 'data-path': 'events' }, h('legend', {}, t('webhooks.events')),
      kinds.map((k) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'events', value: k, checked: true }), ' ', t(`webhooks.kind.${k}`)))),
    h('button', { type: 'submit', class: 'primary' }, t('webhooks.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const r = await api('POST', '/api/v1/webhooks', { url: f.get('url'), ...scope, events: f.getAll('events') });
      form.reset();
      secret.replaceChildren(h('p', { class: 'notice' }, t('webhooks.secret_once'), ' ', h('code', {}, r.secret)));
      await load();
    } catch (err) { showFieldErrors(form, err); }
  });

  const call = async (method, path, done) => {
    try { await api(method, path, method === 'DELETE' ? undefined : {}); flash(t(done)); await load(); } catch (err) { flash(err.message, 'error'); }
  };
  async function load() {
    const { webhooks } = await api('GET', listPath);
    list.replaceChildren(...(webhooks.length === 0 ? [h('p', { class: 'hint' }, t('webhooks.none'))] : webhooks.map((w) => h('section', { class: 'webhook' },
      h('h2', {}, h('bdi', {}, w.url)),
      h('p', { class: 'hint' }, w.events.map((k) => t(`webhooks.kind.${k}`)).join(', '), ' · ', t('webhooks.created', { who: w.created_by, when: fmtDateTime(w.created_at) })),
      h('p', { class: 'actions' },
        h('button', { type: 'button', onclick: () => call('POST', `/api/v1/webhooks/${w.id}/test`, 'webhooks.test_sent') }, t('webhooks.test')), ' ',
        h('button', { type: 'button', class: 'danger', onclick: () => confirm(t('webhooks.confirm_remove', { url: w.url })) && call('DELETE', `/api/v1/webhooks/${w.id}`, 'webhooks.removed') }, t('webhooks.remove'))),
      w.deliveries.length === 0 ? h('p', { class: 'hint' }, t('webhooks.no_deliveries')) : h('table', { class: 'list', tabindex: 0, 'aria-label': t('webhooks.deliveries') },
        h('thead', {}, h('tr', {}, ['webhooks.when', 'webhooks.type', 'webhooks.state', 'webhooks.answer', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, w.deliveries.map((d) => h('tr', {},
          h('td', {}, fmtDateTime(d.created_at)), h('td', {}, t(`webhooks.kind.${d.type}`)),
          h('td', {}, h('span', { class: `badge mail-${d.status}` }, t(`mail.${d.status}`)), d.attempts > 1 ? ` (${t('webhooks.attempts', { count: d.attempts })})` : ''),
          h('td', { class: 'hint' }, d.answer_status ? `HTTP ${d.answer_status}` : '', d.answer ? h('div', {}, h('bdi', {}, d.answer.slice(0, 120))) : null),
          h('td', {}, d.status !== 'sent' ? h('button', { type: 'button', class: 'link', onclick: () => call('POST', `/api/v1/webhooks/${w.id}/deliveries/${d.id}/retry`, 'webhooks.retried') }, t('webhooks.retry')) : '')))))))));
  }
  await load();
  return [form, secret, list];
}
