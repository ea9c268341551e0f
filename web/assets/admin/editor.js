// The event editor (new and edit): fields, sessions, questions; duplicate and share.
import { t, h } from '../lib/page.js';
import { eventNav, go, link, render, topNav } from '../admin.js';
import { api, app, enc, flash, fmtLanguage, labelled, localInput, showFieldErrors } from './common.js';
import { LANGUAGES, markMissing, readTexts, textsField } from './languages.js';
import { imagesPanel, paperworkFields, readPaperwork } from './paperwork.js';
import { previews } from './preview.js';

export const FIELD_MODES = ['off', 'optional', 'required'];
export const KINDS = ['text', 'single', 'multiple', 'checkbox'];
// The mails a guest may get, each with the organiser's own intro and closing per language.
const MAIL_KINDS = ['confirm', 'ticket', 'waitlisted', 'promoted', 'changed', 'reminder', 'cancelled', 'thanks'];


// The event's language while editing: where required texts go and what the others fall back to.
let base = 'de';

export function sessionRow(s = {}) {
  const row = h('fieldset', { class: 'row session', dataset: { id: s.id || '' } },
    h('legend', {}, t('editor.session')),
    textsField('editor.session_title', 'title', s.title, { base, maxlength: 200 }),
    textsField('editor.session_description', 'description', s.description, { base, area: true }),
    labelled('editor.capacity', h('input', { type: 'number', name: 'capacity', min: 0, value: s.capacity ?? '' })),
    labelled('editor.starts_at', h('input', { type: 'datetime-local', name: 'starts_at', value: localInput(s.starts_at) })),
    labelled('editor.ends_at', h('input', { type: 'datetime-local', name: 'ends_at', value: localInput(s.ends_at) })),
    h('button', { type: 'button', class: 'link danger', onclick: () => { row.remove(); renumber(); } }, t('editor.remove')));
  return row;
}

export function questionRow(q = {}) {
  const row = h('fieldset', { class: 'row question', dataset: { key: q.key || '' } },
    h('legend', {}, t('editor.question')),
    textsField('editor.question_label', 'label', q.label, { base, maxlength: 500 }),
    labelled('editor.question_kind', h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k, selected: q.kind === k }, t(`kind.${k}`))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'required', checked: !!q.required }), ' ', t('editor.required')),
    textsField('editor.options', 'options', q.options, { base, lines: true, rows: 3 }),
    h('small', { class: 'hint' }, t('editor.options_hint')),
    h('button', { type: 'button', class: 'link danger', onclick: () => { row.remove(); renumber(); } }, t('editor.remove')));
  return row;
}

// Field paths follow the API's (sessions[0].title), so server errors find their inputs.
export function renumber() {
  document.querySelectorAll('fieldset.session').forEach((row, i) =>
    row.querySelectorAll('[name]').forEach((el) => { el.dataset.path = `sessions[${i}].${el.name}`; }));
  document.querySelectorAll('fieldset.question').forEach((row, i) =>
    row.querySelectorAll('[name]').forEach((el) => { el.dataset.path = `questions[${i}].${el.name}`; }));
}

// "Fachkräfte in Köln" -> "fachkraefte-in-koeln": German umlauts as German writes them without.
export function slugify(s) {
  return s.toLowerCase().normalize('NFC').replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

export async function editorView(event) {
  // Organisers get every text in all its languages when asking without ?lang.
  const e = event ? await api('GET', `/api/v1/events/${enc(event.slug)}`) : { title: '', slug: '', description: '', language: 'de', timezone: 'Europe/Berlin', venue: '', address: '', capacity: null, waitlist: true,
    status: 'draft', fields: { organisation: 'required', organisation_type: 'required', position: 'off', phone: 'off' }, sessions: [], questions: [], retention_days: null,
    opt_in_hours: null, reminder_days: null, thank_you: false };
  base = e.language || 'de';
  const input = (name, attrs = {}) => h('input', { name, 'data-path': name, value: e[name] ?? '', ...attrs });
  const sessions = h('div', { class: 'rows' }, e.sessions.map(sessionRow));
  const questions = h('div', { class: 'rows' }, e.questions.map(questionRow));
  const titles = textsField('editor.title', 'title', e.title, { base, maxlength: 200 });
  const slug = input('slug', { type: 'text', required: true, pattern: '[a-z0-9]([a-z0-9-]*[a-z0-9])?', maxlength: 64 });
  const baseTitle = () => titles.querySelector(`[data-lang="${base}"]`);
  if (!event) titles.addEventListener('input', () => { if (!slug.dataset.touched) slug.value = slugify(baseTitle().value); });
  slug.addEventListener('input', () => { slug.dataset.touched = '1'; });
  const missing = h('p', { class: 'hint', role: 'status', 'data-missing': '' });
  // The organisation it belongs to: its name, imprint and privacy notice go on every page.
  const { organisations } = await api('GET', '/api/v1/organisations');
  const organisation = h('select', { name: 'organisation', 'data-path': 'organisation' },
    h('option', { value: '' }, t('editor.no_organisation')),
    organisations.map((o) => h('option', { value: o.slug, selected: (e.organisation || (organisations.length === 1 && !event ? o.slug : '')) === o.slug }, o.name)));
  const language = h('select', { name: 'language', 'data-path': 'language' },
    LANGUAGES.map((l) => h('option', { value: l, selected: base === l }, fmtLanguage(l))));
  const form = h('form', { class: 'form editor', novalidate: true },
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('editor.organisation', organisation, t('editor.organisation_hint')),
    labelled('editor.language', language, t('editor.language_hint')), missing,
    titles,
    labelled('editor.slug', slug, t('editor.slug_hint')),
    textsField('editor.description', 'description', e.description, { base, area: true, rows: 4 }),
    h('div', { class: 'grid' },
      labelled('editor.starts_at', input('starts_at', { type: 'datetime-local', required: true, value: localInput(e.starts_at) })),
      labelled('editor.ends_at', input('ends_at', { type: 'datetime-local', required: true, value: localInput(e.ends_at) })),
      labelled('editor.timezone', input('timezone', { type: 'text', list: 'zones' })),
      h('datalist', { id: 'zones' }, ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'UTC'].map((z) => h('option', { value: z })))),
    textsField('editor.venue', 'venue', e.venue, { base, maxlength: 200 }),
    textsField('editor.address', 'address', e.address, { base, area: true }),
    h('div', { class: 'grid' },
      labelled('editor.capacity', input('capacity', { type: 'number', min: 0 }), t('editor.capacity_hint')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'waitlist', checked: !!e.waitlist }), ' ', t('editor.waitlist'))),
    h('div', { class: 'grid' },
      labelled('editor.opens_at', input('registration_opens_at', { type: 'datetime-local', value: localInput(e.registration_opens_at) })),
      labelled('editor.closes_at', input('registration_closes_at', { type: 'datetime-local', value: localInput(e.registration_closes_at) }))),
    labelled('editor.status', h('select', { name: 'status', 'data-path': 'status' },
      ['draft', 'published'].map((s) => h('option', { value: s, selected: e.status === s }, t(`status.${s}`))))),
    h('h2', {}, t('editor.fields')),
    h('div', { class: 'grid' }, Object.keys(e.fields).map((f) => labelled(`field.${f}`,
      h('select', { name: `field.${f}`, 'data-path': `fields.${f}` }, FIELD_MODES.map((m) => h('option', { value: m, selected: e.fields[f] === m }, t(`mode.${m}`))))))),
    h('h2', {}, t('editor.sessions')), h('p', { class: 'hint' }, t('editor.sessions_hint')), sessions,
    h('button', { type: 'button', onclick: () => { sessions.append(sessionRow()); renumber(); } }, t('editor.add_session')),
    h('h2', {}, t('editor.questions')), questions,
    h('button', { type: 'button', onclick: () => { questions.append(questionRow()); renumber(); } }, t('editor.add_question')),
    h('h2', {}, t('editor.mail')),
    labelled('editor.opt_in_hours', input('opt_in_hours', { type: 'number', min: 1 }), t('editor.opt_in_hint')),
    labelled('editor.reminder_days', input('reminder_days', { type: 'number', min: 0 })),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'thank_you', checked: !!e.thank_you }), ' ', t('editor.thank_you')),
    h('p', { class: 'hint' }, t('editor.mail_texts_hint')),
    MAIL_KINDS.map((k) => h('details', { class: 'mail-texts' }, h('summary', {}, t(`mailkind.${k}`)),
      textsField('editor.mail_intro', `mail_texts.${k}.intro`, e.mail_texts?.[k]?.intro, { base, area: true }),
      textsField('editor.mail_closing', `mail_texts.${k}.closing`, e.mail_texts?.[k]?.closing, { base, area: true }))),
    ...paperworkFields(e, base),
    h('h2', {}, t('editor.privacy')),
    labelled('editor.retention_days', input('retention_days', { type: 'number', min: 0 }), t('editor.retention_hint')),
    h('p', {}, h('button', { type: 'submit', class: 'primary' }, t(event ? 'editor.save' : 'editor.create'))));

  const mark = () => markMissing(form, base, missing);
  form.addEventListener('input', mark);
  language.addEventListener('change', () => { base = language.value; mark(); });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const text = (n) => (f.get(n) || '').trim();
    const time = (v) => (v ? (v.length === 16 ? `${v}:00` : v) : null);
    const body = {
      language: base, organisation: text('organisation') || null, title: readTexts(form, 'title'), slug: text('slug'), description: readTexts(form, 'description'),
      timezone: text('timezone') || 'Europe/Berlin', starts_at: time(text('starts_at')), ends_at: time(text('ends_at')),
      venue: readTexts(form, 'venue'), address: readTexts(form, 'address'),
      capacity: text('capacity') === '' ? null : Number(text('capacity')), waitlist: form.elements.waitlist.checked,
      registration_opens_at: time(text('registration_opens_at')), registration_closes_at: time(text('registration_closes_at')),
      status: text('status'), retention_days: text('retention_days') === '' ? null : Number(text('retention_days')),
      opt_in_hours: text('opt_in_hours') === '' ? null : Number(text('opt_in_hours')),
      reminder_days: text('reminder_days') === '' ? null : Number(text('reminder_days')),
      thank_you: form.elements.thank_you.checked,
      mail_texts: Object.fromEntries(MAIL_KINDS.map((k) => [k, { intro: readTexts(form, `mail_texts.${k}.intro`), closing: readTexts(form, `mail_texts.${k}.closing`) }])),
      ...readPaperwork(form),
      fields: Object.fromEntries(Object.keys(e.fields).map((k) => [k, f.get(`field.${k}`)])),
      sessions: [...form.querySelectorAll('fieldset.session')].map((row) => {
        const v = (n) => row.querySelector(`[name="${n}"]`).value.trim();
        return { ...(row.dataset.id ? { id: Number(row.dataset.id) } : {}), title: readTexts(row, 'title'), description: readTexts(row, 'description'),
          capacity: v('capacity') === '' ? null : Number(v('capacity')), starts_at: time(v('starts_at')), ends_at: time(v('ends_at')) };
      }),
      questions: [...form.querySelectorAll('fieldset.question')].map((row) => {
        const v = (n) => row.querySelector(`[name="${n}"]`);
        return { ...(row.dataset.key ? { key: row.dataset.key } : {}), label: readTexts(row, 'label'), kind: v('kind').value,
          required: v('required').checked, options: readTexts(row, 'options') };
      }),
    };
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const saved = event ? await api('PATCH', `/api/v1/events/${enc(event.slug)}`, body) : await api('POST', '/api/v1/events', body);
      history.replaceState(null, '', `/admin/events/${enc(saved.slug)}/edit`);
      await render();
      flash(t('editor.saved'));
    } catch (err) {
      showFieldErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });

  const parts = [event ? eventNav(event, 'edit') : h('div', {}, topNav(), h('h1', {}, t('events.new')))];
  if (event) parts.push(quickActions(event));
  if (event) parts.push(previews(event));
  parts.push(form);
  if (event) parts.push(imagesPanel(e), duplicateForm(event), shareForm(event));
  app.replaceChildren(...parts);
  renumber();
  mark();
}

export function quickActions(event) {
  const patch = async (body, message) => {
    try { await api('PATCH', `/api/v1/events/${enc(event.slug)}`, body); await render(); flash(message); } catch (err) { flash(err.message, 'error'); }
  };
  const closed = event.registration_closes_at && new Date(event.registration_closes_at) <= new Date();
  return h('p', { class: 'actions' },
    event.status === 'draft'
      ? h('button', { type: 'button', class: 'primary', onclick: () => patch({ status: 'published' }, t('editor.published')) }, t('editor.publish'))
      : h('button', { type: 'button', onclick: () => patch({ status: 'draft' }, t('editor.unpublished')) }, t('editor.unpublish')),
    ' ',
    closed
      ? h('button', { type: 'button', onclick: () => patch({ registration_closes_at: null }, t('editor.reopened')) }, t('editor.reopen'))
      : h('button', { type: 'button', onclick: () => patch({ registration_closes_at: new Date().toISOString().slice(0, 19) + 'Z' }, t('editor.closed')) }, t('editor.close')));
}

export function duplicateForm(event) {
  const form = h('form', { class: 'form inline-form' },
    h('h2', {}, t('duplicate.heading')), h('p', { class: 'hint' }, t('duplicate.hint')),
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('editor.title', h('input', { type: 'text', name: 'title', 'data-path': 'title', value: event.title })),
    labelled('editor.slug', h('input', { type: 'text', name: 'slug', 'data-path': 'slug', required: true })),
    labelled('editor.starts_at', h('input', { type: 'datetime-local', name: 'starts_at', 'data-path': 'starts_at', value: localInput(event.starts_at) })),
    h('button', { type: 'submit' }, t('duplicate.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const copy = await api('POST', `/api/v1/events/${enc(event.slug)}/duplicate`, { title: f.get('title'), slug: f.get('slug'), starts_at: `${f.get('starts_at')}:00` });
      go(`/admin/events/${enc(copy.slug)}/edit`);
      flash(t('duplicate.done'));
    } catch (err) { showFieldErrors(form, err); }
  });
  return form;
}

export function shareForm(event) {
  const base = `/api/v1/events/${enc(event.slug)}/organisers`;
  const people = h('ul', { class: 'plain', 'data-organisers': '' });
  const draw = async () => {
    const { organisers } = await api('GET', base);
    people.replaceChildren(...organisers.map((o) => h('li', {}, o.email, ' ',
      o.owner ? h('small', {}, `(${t('share.owner')})`)
        : h('button', { type: 'button', class: 'link danger', onclick: async () => {
          try { await api('DELETE', `${base}/${o.id}`); flash(t('share.removed')); } catch (err) { flash(err.message, 'error'); }
          await draw();
        } }, t('share.remove')))));
  };
  draw();
  const form = h('form', { class: 'form inline-form' },
    h('h2', {}, t('share.heading')), h('p', { class: 'hint' }, t('share.hint')), people,
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('share.email', h('input', { type: 'email', name: 'email', 'data-path': 'email', required: true })),
    h('button', { type: 'submit' }, t('share.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', `/api/v1/events/${enc(event.slug)}/organisers`, { email: new FormData(form).get('email') });
      form.reset();
      flash(t('share.done', { email: r.shared_with }));
      await draw();
    } catch (err) { showFieldErrors(form, err); }
  });
  return form;
}
