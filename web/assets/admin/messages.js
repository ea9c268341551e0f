// Messages to attendees: whom (the attendee filters), what in German and where wanted in
// English and Arabic side by side, a preview of whom it reaches in which language, a test mail
// to oneself, then sending; below, every message with its delivery.
import { t, h } from '../lib/page.js';
import { eventNav } from '../admin.js';
import { api, app, enc, flash, fmtDateTime, fmtLanguage, fmtNumber, labelled, me, showFieldErrors } from './common.js';

const languages = ['de', 'en', 'ar'];
const otypes = ['company', 'chamber', 'public_administration', 'job_centre', 'education_provider', 'migrant_organisation', 'other'];

export async function messagesView(event) {
  const base = `/api/v1/events/${enc(event.slug)}/messages`;
  const select = (name, label, options) => labelled(label, h('select', { name, 'data-path': `to.${name}` }, options));
  const form = h('form', { class: 'form message' },
    h('h2', {}, t('messages.new')),
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    h('fieldset', { class: 'audience' }, h('legend', {}, t('messages.to')),
      select('status', 'attendees.status', [h('option', { value: 'confirmed' }, t('reg.confirmed')), h('option', { value: 'waitlisted' }, t('reg.waitlisted')),
        h('option', { value: 'cancelled' }, t('reg.cancelled')), h('option', { value: '' }, t('attendees.any_status'))]),
      event.sessions.length ? select('session', 'attendees.session', [h('option', { value: '' }, t('attendees.any_session')),
        ...event.sessions.map((s) => h('option', { value: s.id }, s.title))]) : null,
      select('checked_in', 'attendees.checked_in', [h('option', { value: '' }, t('attendees.any_checkin')),
        h('option', { value: 'yes' }, t('attendees.came')), h('option', { value: 'no' }, t('attendees.not_came'))]),
      select('organisation_type', 'attendees.type', [h('option', { value: '' }, t('attendees.any_type')), ...otypes.map((k) => h('option', { value: k }, t(`otype.${k}`)))])),
    h('div', { class: 'languages' }, languages.map((l) => h('fieldset', { lang: l, dir: l === 'ar' ? 'rtl' : 'ltr' },
      h('legend', {}, fmtLanguage(l), l === 'de' ? '' : ` (${t('messages.optional')})`),
      labelled('messages.subject', h('input', { type: 'text', name: `subject.${l}`, 'data-path': `subject.${l}`, maxlength: 200, required: l === 'de' })),
      labelled('messages.body', h('textarea', { name: `body.${l}`, 'data-path': `body.${l}`, rows: 8, maxlength: 10000, required: l === 'de' }))))),
    h('p', { class: 'hint', role: 'status', id: 'message-preview' }),
    h('p', { class: 'actions' },
      h('button', { type: 'button', onclick: () => submit('preview') }, t('messages.preview')), ' ',
      h('button', { type: 'button', onclick: () => submit('test') }, t('messages.test', { email: me.email })), ' ',
      h('button', { type: 'submit', class: 'primary' }, t('messages.send'))));
  const list = h('div');
  app.replaceChildren(eventNav(event, 'messages'), h('p', { class: 'hint' }, t('messages.hint')), form, h('h2', {}, t('messages.sent')), list);

  const body = () => {
    const f = new FormData(form);
    const texts = (kind) => Object.fromEntries(languages.map((l) => [l, f.get(`${kind}.${l}`).trim()]).filter(([, v]) => v));
    const to = {};
    for (const k of ['status', 'session', 'checked_in', 'organisation_type']) if (f.get(k)) to[k] = k === 'session' ? Number(f.get(k)) : f.get(k);
    return { subject: texts('subject'), body: texts('body'), to };
  };
  // Whom it reaches, and who reads it in German because their language was not written.
  const describe = (r, written) => {
    const parts = Object.entries(r.by_language).map(([l, n]) => `${fmtLanguage(l)}: ${fmtNumber(n)}`);
    const fallback = Object.entries(r.by_language).filter(([l]) => !written.includes(l)).reduce((s, [, n]) => s + n, 0);
    return [t('messages.reaches', { count: fmtNumber(r.recipients) }), parts.length ? `(${parts.join(', ')})` : '',
      fallback ? t('messages.fallback', { count: fmtNumber(fallback) }) : ''].join(' ');
  };
  async function submit(mode) {
    if (mode === 'send' && !form.reportValidity()) return;
    const b = body();
    const preview = form.querySelector('#message-preview');
    try {
      const r = await api('POST', base, { ...b, preview: true });
      preview.textContent = describe(r, Object.keys(b.body));
      if (mode === 'preview') return;
      if (mode === 'send' && !confirm(t('messages.confirm', { count: fmtNumber(r.recipients) }))) return;
      const done = await api('POST', base, { ...b, test: mode === 'test' });
      flash(mode === 'test' ? t('messages.test_sent', { email: me.email }) : t('messages.queued', { count: fmtNumber(done.recipients) }));
      if (mode === 'send') form.reset();
      await load();
    } catch (err) { showFieldErrors(form, err); }
  }
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit('send'); });

  async function load() {
    const { messages } = await api('GET', base);
    list.replaceChildren(messages.length === 0 ? h('p', { class: 'hint' }, t('dashboard.nothing')) : h('table', { class: 'list', tabindex: 0, 'aria-label': t('messages.sent') },
      h('thead', {}, h('tr', {}, ['messages.when', 'messages.subject', 'messages.languages', 'messages.recipients', 'messages.delivery'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, messages.map((m) => h('tr', {},
        h('td', {}, fmtDateTime(m.created_at), h('div', { class: 'hint' }, m.created_by)),
        h('td', {}, h('bdi', {}, m.subject.de ?? Object.values(m.subject)[0]), m.test ? h('div', { class: 'hint' }, t('messages.test_label')) : null),
        h('td', {}, languages.filter((l) => l in m.subject).map(fmtLanguage).join(', ')),
        h('td', { class: 'num' }, fmtNumber(m.recipients)),
        h('td', {}, t('messages.delivery_state', { sent: fmtNumber(m.delivery.sent), pending: fmtNumber(m.delivery.pending), failed: fmtNumber(m.delivery.failed) })))))));
  }
  await load();
}
