// The organisers' workspace: one page, several views, all through the organiser API with the
// login cookie and the CSRF token from the page's data block. Plain DOM, no framework; user
// data only ever goes into text nodes and attribute values, never into HTML.

const data = JSON.parse(document.getElementById('page-data')?.textContent || '{}');
const texts = data.texts || {};
const lang = data.lang || 'de';
const me = data.user || {};
const app = document.getElementById('app');

export const t = (key, values = {}) =>
  (texts[key] ?? key).replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));

// ---- DOM and API helpers ----

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

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || t('error.network'));
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields || [];
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = data.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 401) { location.href = `/admin/login?next=${encodeURIComponent(location.pathname)}`; throw new ApiError(401, null); }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

const enc = encodeURIComponent;
const fmtDateTime = (iso) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');
const fmtNumber = (n) => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB').format(n);
const fmtPercent = (f) => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(f);
const localInput = (iso) => (iso ? iso.slice(0, 16) : '');  // the API gives wall time in the event's zone

function flash(message, kind = 'ok') {
  const box = h('p', { class: `flash ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  document.querySelector('.flash')?.remove();
  app.prepend(box);
  if (kind !== 'error') setTimeout(() => box.remove(), 6000);
}

function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err.message);
}

// Puts the server's field errors next to inputs carrying data-path="<field path>".
function showFieldErrors(form, err) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  let first = null;
  for (const f of err.fields || []) {
    const input = form.querySelector(`[data-path="${CSS.escape(f.field)}"]`) || form.querySelector(`[data-path="${CSS.escape(f.field.split('[')[0])}"]`);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    input.insertAdjacentElement('afterend', h('span', { class: 'field-error' }, f.message));
    first ||= input;
  }
  const summary = form.querySelector('.form-error');
  summary.textContent = err.message;
  summary.hidden = false;
  (first || summary).focus?.();
}

// ---- Navigation ----

function go(path) {
  history.pushState(null, '', path);
  render();
}

function link(path, ...children) {
  return h('a', { href: path, onclick: (e) => { if (e.metaKey || e.ctrlKey) return; e.preventDefault(); go(path); } }, ...children);
}

let stopView = () => {};

async function render() {
  stopView();
  stopView = () => {};
  const parts = location.pathname.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
  app.replaceChildren(h('p', { class: 'hint' }, t('app.loading')));
  try {
    if (parts.length === 0) await eventsView();
    else if (parts[0] === 'account') await accountView();
    else if (parts[0] === 'events' && parts[1] === 'new') await editorView(null);
    else if (parts[0] === 'events' && parts[1]) {
      const slug = parts[1];
      const view = parts[2] || 'dashboard';
      const event = await api('GET', `/api/v1/events/${enc(slug)}`);
      const views = { dashboard: dashboardView, attendees: attendeesView, devices: devicesView, edit: editorView, log: logView, mails: mailsView };
      await (views[view] || dashboardView)(event);
    } else await eventsView();
  } catch (err) {
    if (err.status !== 401) app.replaceChildren(errorBox(err), h('p', {}, link('/admin', t('nav.events'))));
  }
  document.getElementById('main')?.focus();
}

window.addEventListener('popstate', render);

function topNav(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('nav.label') },
    link('/admin', t('nav.events')), ' ', link('/admin/account', t('nav.account')),
    h('span', { class: 'who' }, me.email));
}

function eventNav(event, current) {
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
      item('mails', 'nav.mails'), item('edit', 'nav.edit'), item('log', 'nav.log')));
}

// ---- Events ----

async function eventsView() {
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

// ---- Event editor (new and edit) ----

const FIELD_MODES = ['off', 'optional', 'required'];
const KINDS = ['text', 'single', 'multiple', 'checkbox'];

function labelled(key, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, key ? t(key) : ''), input, hint ? h('small', { class: 'hint' }, hint) : null);
}

function sessionRow(s = {}) {
  const row = h('fieldset', { class: 'row session', dataset: { id: s.id || '' } },
    h('legend', {}, t('editor.session')),
    labelled('editor.session_title', h('input', { type: 'text', name: 'title', value: s.title || '', required: true })),
    labelled('editor.capacity', h('input', { type: 'number', name: 'capacity', min: 0, value: s.capacity ?? '' })),
    labelled('editor.starts_at', h('input', { type: 'datetime-local', name: 'starts_at', value: localInput(s.starts_at) })),
    labelled('editor.ends_at', h('input', { type: 'datetime-local', name: 'ends_at', value: localInput(s.ends_at) })),
    h('button', { type: 'button', class: 'link danger', onclick: () => { row.remove(); renumber(); } }, t('editor.remove')));
  return row;
}

function questionRow(q = {}) {
  const row = h('fieldset', { class: 'row question', dataset: { key: q.key || '' } },
    h('legend', {}, t('editor.question')),
    labelled('editor.question_label', h('input', { type: 'text', name: 'label', value: q.label || '', required: true })),
    labelled('editor.question_kind', h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k, selected: q.kind === k }, t(`kind.${k}`))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'required', checked: !!q.required }), ' ', t('editor.required')),
    labelled('editor.options', h('textarea', { name: 'options', rows: 3 }, (q.options || []).join('\n')), t('editor.options_hint')),
    h('button', { type: 'button', class: 'link danger', onclick: () => { row.remove(); renumber(); } }, t('editor.remove')));
  return row;
}

// Field paths follow the API's (sessions[0].title), so server errors find their inputs.
function renumber() {
  document.querySelectorAll('fieldset.session').forEach((row, i) =>
    row.querySelectorAll('[name]').forEach((el) => { el.dataset.path = `sessions[${i}].${el.name}`; }));
  document.querySelectorAll('fieldset.question').forEach((row, i) =>
    row.querySelectorAll('[name]').forEach((el) => { el.dataset.path = `questions[${i}].${el.name}`; }));
}

function slugify(s) {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

async function editorView(event) {
  const e = event || { title: '', slug: '', description: '', timezone: 'Europe/Berlin', venue: '', address: '', capacity: null, waitlist: true,
    status: 'draft', fields: { organisation: 'required', organisation_type: 'required', position: 'off', phone: 'off' }, sessions: [], questions: [], retention_days: null,
    opt_in_hours: null, reminder_days: null, thank_you: false };
  const input = (name, attrs = {}) => h('input', { name, 'data-path': name, value: e[name] ?? '', ...attrs });
  const sessions = h('div', { class: 'rows' }, e.sessions.map(sessionRow));
  const questions = h('div', { class: 'rows' }, e.questions.map(questionRow));
  const title = input('title', { type: 'text', required: true, maxlength: 200 });
  const slug = input('slug', { type: 'text', required: true, pattern: '[a-z0-9]([a-z0-9-]*[a-z0-9])?', maxlength: 64 });
  if (!event) title.addEventListener('input', () => { if (!slug.dataset.touched) slug.value = slugify(title.value); });
  slug.addEventListener('input', () => { slug.dataset.touched = '1'; });
  const form = h('form', { class: 'form editor', novalidate: true },
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('editor.title', title),
    labelled('editor.slug', slug, t('editor.slug_hint')),
    labelled('editor.description', h('textarea', { name: 'description', 'data-path': 'description', rows: 4 }, e.description || '')),
    h('div', { class: 'grid' },
      labelled('editor.starts_at', input('starts_at', { type: 'datetime-local', required: true, value: localInput(e.starts_at) })),
      labelled('editor.ends_at', input('ends_at', { type: 'datetime-local', required: true, value: localInput(e.ends_at) })),
      labelled('editor.timezone', input('timezone', { type: 'text', list: 'zones' })),
      h('datalist', { id: 'zones' }, ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'UTC'].map((z) => h('option', { value: z })))),
    labelled('editor.venue', input('venue', { type: 'text', maxlength: 200 })),
    labelled('editor.address', h('textarea', { name: 'address', 'data-path': 'address', rows: 2 }, e.address || '')),
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
    h('h2', {}, t('editor.privacy')),
    labelled('editor.retention_days', input('retention_days', { type: 'number', min: 0 }), t('editor.retention_hint')),
    h('p', {}, h('button', { type: 'submit', class: 'primary' }, t(event ? 'editor.save' : 'editor.create'))));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const text = (n) => (f.get(n) || '').trim();
    const time = (v) => (v ? (v.length === 16 ? `${v}:00` : v) : null);
    const body = {
      title: text('title'), slug: text('slug'), description: text('description'), timezone: text('timezone') || 'Europe/Berlin',
      starts_at: time(text('starts_at')), ends_at: time(text('ends_at')), venue: text('venue'), address: text('address'),
      capacity: text('capacity') === '' ? null : Number(text('capacity')), waitlist: form.elements.waitlist.checked,
      registration_opens_at: time(text('registration_opens_at')), registration_closes_at: time(text('registration_closes_at')),
      status: text('status'), retention_days: text('retention_days') === '' ? null : Number(text('retention_days')),
      opt_in_hours: text('opt_in_hours') === '' ? null : Number(text('opt_in_hours')),
      reminder_days: text('reminder_days') === '' ? null : Number(text('reminder_days')),
      thank_you: form.elements.thank_you.checked,
      fields: Object.fromEntries(Object.keys(e.fields).map((k) => [k, f.get(`field.${k}`)])),
      sessions: [...form.querySelectorAll('fieldset.session')].map((row) => {
        const v = (n) => row.querySelector(`[name="${n}"]`).value.trim();
        return { ...(row.dataset.id ? { id: Number(row.dataset.id) } : {}), title: v('title'),
          capacity: v('capacity') === '' ? null : Number(v('capacity')), starts_at: time(v('starts_at')), ends_at: time(v('ends_at')) };
      }),
      questions: [...form.querySelectorAll('fieldset.question')].map((row) => {
        const v = (n) => row.querySelector(`[name="${n}"]`);
        return { ...(row.dataset.key ? { key: row.dataset.key } : {}), label: v('label').value.trim(), kind: v('kind').value,
          required: v('required').checked, options: v('options').value.split('\n').map((o) => o.trim()).filter(Boolean) };
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
  parts.push(form);
  if (event) parts.push(duplicateForm(event), shareForm(event));
  app.replaceChildren(...parts);
  renumber();
}

function quickActions(event) {
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

function duplicateForm(event) {
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

function shareForm(event) {
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

// ---- Dashboard ----

async function dashboardView(event) {
  const base = `/api/v1/events/${enc(event.slug)}`;
  const tiles = h('div', { class: 'tiles' });
  const sessions = h('div');
  const types = h('div');
  const devices = h('div');
  const chart = h('img', { class: 'chart', alt: t('dashboard.arrivals'), width: 720, height: 260 });
  const status = h('p', { class: 'hint', role: 'status' });
  const download = (file, key) => h('a', { class: 'button', href: `${base}/${file}`, download: '' }, t(key));
  app.replaceChildren(eventNav(event, 'dashboard'), status, tiles,
    h('h2', {}, t('dashboard.arrivals')), chart,
    h('h2', {}, t('dashboard.by_session')), sessions,
    h('h2', {}, t('dashboard.by_type')), types,
    h('h2', {}, t('dashboard.by_device')), devices,
    h('h2', {}, t('dashboard.downloads')),
    h('p', { class: 'actions' }, download('attendees.xlsx', 'download.attendees_xlsx'), download('attendees.csv', 'download.attendees_csv'),
      h('a', { class: 'button', href: `${base}/attendees.csv?separator=comma`, download: '' }, t('download.attendees_csv_comma')),
      download('attendees.json', 'download.attendees_json'), download('stats.xlsx', 'download.stats_xlsx'), download('stats.csv', 'download.stats_csv')));

  const tile = (key, value, id) => h('div', { class: 'tile', id }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, key ? t(key) : ''));
  const table = (heads, rows) => rows.length === 0 ? h('p', { class: 'hint' }, t('dashboard.nothing')) : h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: i ? 'num' : '' }, c))))));
  let lastArrivals = '';
  let timer = 0;
  let stopped = false;

  const refresh = async () => {
    try {
      const s = await api('GET', `${base}/stats`);
      tiles.replaceChildren(
        tile('stat.registered', fmtNumber(s.registered), 'tile-registered'), tile('stat.confirmed', fmtNumber(s.confirmed), 'tile-confirmed'),
        tile('stat.waitlisted', fmtNumber(s.waitlisted), 'tile-waitlisted'), tile('stat.cancelled', fmtNumber(s.cancelled), 'tile-cancelled'),
        tile('stat.checked_in', fmtNumber(s.checked_in), 'tile-checked-in'), tile('stat.inside', fmtNumber(s.inside), 'tile-inside'),
        tile('stat.no_show_rate', fmtPercent(s.no_show_rate), 'tile-no-show'));
      sessions.replaceChildren(table(['dashboard.session', 'dashboard.capacity', 'stat.confirmed', 'stat.waitlisted', 'stat.present', 'stat.checked_in_session'],
        s.by_session.map((r) => [r.title, r.capacity === null ? '–' : fmtNumber(r.capacity), fmtNumber(r.confirmed), fmtNumber(r.waitlisted), fmtNumber(r.present), fmtNumber(r.checked_in)])));
      types.replaceChildren(table(['dashboard.type', 'stat.confirmed', 'stat.waitlisted', 'stat.cancelled', 'stat.checked_in'],
        Object.entries(s.by_organisation_type).map(([k, r]) => [t(k ? `otype.${k}` : 'otype.none'), fmtNumber(r.confirmed), fmtNumber(r.waitlisted), fmtNumber(r.cancelled), fmtNumber(r.checked_in)])));
      devices.replaceChildren(table(['dashboard.device', 'stat.admitted'], s.by_device.map((d) => [d.name || t('dashboard.no_device'), fmtNumber(d.admitted)])));
      const arrivals = JSON.stringify(s.arrivals);
      if (arrivals !== lastArrivals) { lastArrivals = arrivals; chart.src = `${base}/arrivals.svg?v=${Date.now()}`; }
      status.textContent = t('dashboard.updated', { time: new Date().toLocaleTimeString(lang === 'de' ? 'de-DE' : 'en-GB') });
      status.classList.remove('error');
    } catch (err) {
      status.textContent = t('dashboard.offline');
      status.classList.add('error');
    }
    if (!stopped) timer = setTimeout(refresh, document.hidden ? 15000 : 4000);
  };
  stopView = () => { stopped = true; clearTimeout(timer); };
  await refresh();
}

// ---- Attendees ----

async function attendeesView(event) {
  const base = `/api/v1/events/${enc(event.slug)}`;
  const params = new URLSearchParams(location.search);
  const filters = h('form', { class: 'filters', role: 'search' },
    h('input', { type: 'search', name: 'q', placeholder: t('attendees.search'), 'aria-label': t('attendees.search'), value: params.get('q') || '' }),
    h('select', { name: 'status', 'aria-label': t('attendees.status') }, h('option', { value: '' }, t('attendees.any_status')),
      ['confirmed', 'waitlisted', 'cancelled'].map((s) => h('option', { value: s, selected: params.get('status') === s }, t(`reg.${s}`)))),
    event.sessions.length ? h('select', { name: 'session', 'aria-label': t('attendees.session') }, h('option', { value: '' }, t('attendees.any_session')),
      event.sessions.map((s) => h('option', { value: s.id, selected: params.get('session') === String(s.id) }, s.title))) : null,
    h('select', { name: 'organisation_type', 'aria-label': t('attendees.type') }, h('option', { value: '' }, t('attendees.any_type')),
      ['company', 'chamber', 'public_administration', 'job_centre', 'education_provider', 'migrant_organisation', 'other']
        .map((k) => h('option', { value: k, selected: params.get('organisation_type') === k }, t(`otype.${k}`)))),
    h('select', { name: 'checked_in', 'aria-label': t('attendees.checked_in') }, h('option', { value: '' }, t('attendees.any_checkin')),
      h('option', { value: 'yes', selected: params.get('checked_in') === 'yes' }, t('attendees.came')),
      h('option', { value: 'no', selected: params.get('checked_in') === 'no' }, t('attendees.not_came'))),
    h('button', { type: 'submit' }, t('attendees.filter')),
    h('button', { type: 'button', class: 'link', onclick: () => { filters.reset(); for (const el of filters.elements) if (el.name) el.value = ''; filters.elements.status.value = 'confirmed'; filters.elements.checked_in.value = 'no'; load(0); } }, t('attendees.no_shows')));
  const summary = h('p', { class: 'hint', role: 'status' });
  const body = h('tbody');
  const pager = h('p', { class: 'actions' });
  const dialog = h('dialog', { class: 'edit' });
  app.replaceChildren(eventNav(event, 'attendees'), filters, summary,
    h('table', { class: 'list attendees' }, h('thead', {}, h('tr', {}, ['attendees.name', 'attendees.organisation', 'attendees.status', 'attendees.sessions', 'attendees.checked_in', 'attendees.mail', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), body),
    pager, dialog);
  const sessionTitle = (id) => event.sessions.find((s) => s.id === id)?.title || id;
  let offset = 0;

  const act = async (a, action) => {
    if (action === 'anonymise' && !confirm(t('attendees.confirm_anonymise', { name: `${a.first_name} ${a.last_name}` }))) return;
    if (action === 'cancel' && !confirm(t('attendees.confirm_cancel', { name: `${a.first_name} ${a.last_name}` }))) return;
    try {
      const r = await api('POST', `${base}/attendees/${a.id}/${action}`);
      // The server tells the participant of a cancellation, a restore or a move from the waiting list.
      const told = a.email && ['cancel', 'restore', 'confirm'].includes(action) ? ` ${t('attendees.participant_told', { email: a.email })}` : '';
      flash(t(`attendees.done_${action}`, { count: r.promoted.length }) + told);
      await load(offset);
    } catch (err) { flash(err.message, 'error'); }
  };

  async function load(from) {
    offset = from;
    const q = new URLSearchParams();
    for (const el of filters.elements) if (el.name && el.value) q.set(el.name, el.value);
    history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
    q.set('offset', from);
    q.set('limit', 50);
    const page = await api('GET', `${base}/attendees?${q}`);
    summary.textContent = t('attendees.count', { total: fmtNumber(page.total) });
    body.replaceChildren(...page.attendees.map((a) => h('tr', { dataset: { id: a.id } },
      h('td', {}, a.anonymised ? h('em', {}, t('attendees.anonymised')) : `${a.first_name} ${a.last_name}`, a.email ? h('div', { class: 'hint' }, a.email) : null),
      h('td', {}, a.organisation, a.organisation_type ? h('div', { class: 'hint' }, t(`otype.${a.organisation_type}`)) : null),
      h('td', {}, h('span', { class: `badge ${a.status}` }, t(`reg.${a.status}`))),
      h('td', {}, a.sessions.map(sessionTitle).join(', ')),
      h('td', {}, a.checked_in_at ? fmtDateTime(a.checked_in_at) : '–'),
      h('td', {}, mailSummary(a.mails)),
      h('td', { class: 'row-actions' },
        a.anonymised ? null : h('button', { type: 'button', class: 'link', onclick: () => edit(a) }, t('attendees.edit')),
        a.status !== 'cancelled' ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'cancel') }, t('attendees.cancel')) : null,
        a.status === 'cancelled' && !a.anonymised ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'restore') }, t('attendees.restore')) : null,
        a.status === 'waitlisted' ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'confirm') }, t('attendees.confirm')) : null,
        a.ticket_code ? h('a', { href: `/t/${a.ticket_code}`, target: '_blank', rel: 'noopener' }, t('attendees.ticket')) : null,
        a.email && a.status !== 'cancelled' && !a.anonymised ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'resend') }, t('attendees.resend')) : null,
        h('a', { href: `${base}/attendees/${a.id}?download=1`, download: '' }, t('attendees.data')),
        a.anonymised ? null : h('button', { type: 'button', class: 'link danger', onclick: () => act(a, 'anonymise') }, t('attendees.anonymise'))))));
    pager.replaceChildren(
      from > 0 ? h('button', { type: 'button', onclick: () => load(Math.max(0, from - 50)) }, t('attendees.previous')) : '',
      from + 50 < page.total ? h('button', { type: 'button', onclick: () => load(from + 50) }, t('attendees.next')) : '');
  }

  function edit(a) {
    const text = (name, type = 'text') => labelled(`field.${name}`, h('input', { type, name, 'data-path': name, value: a[name] || '' }));
    const answers = event.questions.map((q) => {
      const v = a.answers[q.key];
      const path = `answers.${q.key}`;
      if (q.kind === 'text') return labelled(null, h('input', { type: 'text', name: path, 'data-path': path, value: v || '' }));
      if (q.kind === 'checkbox') return h('label', { class: 'check' }, h('input', { type: 'checkbox', name: path, 'data-path': path, checked: v === true }), ' ', q.label);
      if (q.kind === 'single') return h('label', { class: 'field' }, h('span', { class: 'label' }, q.label),
        h('select', { name: path, 'data-path': path }, h('option', { value: '' }, '–'), q.options.map((o) => h('option', { value: o, selected: v === o }, o))));
      return h('fieldset', { 'data-path': path }, h('legend', {}, q.label), q.options.map((o) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: path, value: o, checked: Array.isArray(v) && v.includes(o) }), ' ', o)));
    });
    answers.forEach((el, i) => { const span = el.querySelector('.label'); if (span && !span.textContent) span.textContent = event.questions[i].label; });
    const form = h('form', { method: 'dialog', class: 'form' },
      h('h2', {}, t('attendees.edit_heading')),
      h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
      text('first_name'), text('last_name'), text('email', 'email'), text('organisation'),
      labelled('field.organisation_type', h('select', { name: 'organisation_type', 'data-path': 'organisation_type' }, h('option', { value: '' }, '–'),
        ['company', 'chamber', 'public_administration', 'job_centre', 'education_provider', 'migrant_organisation', 'other'].map((k) => h('option', { value: k, selected: a.organisation_type === k }, t(`otype.${k}`))))),
      text('position'), text('phone', 'tel'),
      labelled('field.language', h('select', { name: 'language' }, ['de', 'en', 'ar'].map((l) => h('option', { value: l, selected: a.language === l }, l)))),
      event.sessions.length ? h('fieldset', { 'data-path': 'sessions' }, h('legend', {}, t('attendees.sessions')), event.sessions.map((s) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'sessions', value: s.id, checked: a.sessions.includes(s.id) }), ' ', s.title))) : null,
      answers,
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('editor.save')), ' ',
        h('button', { type: 'button', onclick: () => dialog.close() }, t('attendees.close'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = new FormData(form);
      const body = { first_name: f.get('first_name'), last_name: f.get('last_name'), email: f.get('email'), organisation: f.get('organisation'),
        organisation_type: f.get('organisation_type'), position: f.get('position'), phone: f.get('phone'), language: f.get('language'),
        sessions: f.getAll('sessions').map(Number), answers: {} };
      for (const q of event.questions) {
        const name = `answers.${q.key}`;
        if (q.kind === 'checkbox') body.answers[q.key] = form.elements[name].checked;
        else if (q.kind === 'multiple') body.answers[q.key] = f.getAll(name);
        else if (f.get(name)) body.answers[q.key] = f.get(name);
      }
      try {
        await api('PATCH', `${base}/attendees/${a.id}`, body);
        dialog.close();
        flash(t('attendees.saved'));
        await load(offset);
      } catch (err) { showFieldErrors(form, err); }
    });
    dialog.replaceChildren(form);
    dialog.showModal();
  }

  filters.addEventListener('submit', (ev) => { ev.preventDefault(); load(0); });
  filters.addEventListener('change', () => load(0));
  await load(0);
}

// The newest mail of a person: what it was and whether it went out.
function mailSummary(mails) {
  if (!mails || mails.length === 0) return t('mail.none');
  const m = mails[mails.length - 1];
  return h('span', { class: `badge mail-${m.status}`, title: m.last_error || '' }, `${t(`mailkind.${m.kind}`)}: ${t(`mail.${m.status}`)}`);
}

async function mailsView(event) {
  const { mails, sending } = await api('GET', `/api/v1/events/${enc(event.slug)}/mails`);
  app.replaceChildren(eventNav(event, 'mails'),
    h('p', { class: 'hint' }, t('mails.hint')),
    sending ? null : h('p', { class: 'notice' }, t('mails.not_configured')),
    mails.length === 0 ? h('p', { class: 'hint' }, t('dashboard.nothing')) : h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, ['mails.created', 'mails.to', 'mails.kind', 'mails.status', 'mails.sent_at', 'mails.error'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, mails.map((m) => h('tr', {}, h('td', {}, fmtDateTime(m.created_at)), h('td', {}, m.registration ?? '–'),
        h('td', {}, t(`mailkind.${m.kind}`)), h('td', {}, h('span', { class: `badge mail-${m.status}` }, t(`mail.${m.status}`))),
        h('td', {}, m.sent_at ? fmtDateTime(m.sent_at) : '–'), h('td', { class: 'hint' }, m.last_error || ''))))));
}

// ---- Devices ----

async function devicesView(event) {
  const base = `/api/v1/events/${enc(event.slug)}/devices`;
  const listName = (id) => (id === 'event' || id === 0 ? t('devices.whole_event') : event.sessions.find((s) => s.id === id)?.title || id);
  const body = h('tbody');
  const pairing = h('div', { class: 'pairing', 'aria-live': 'polite' });
  const showPairing = (name, r) => {
    const img = h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.pairing_qr_svg)}`, alt: t('devices.qr_alt'), width: 240, height: 240 });
    pairing.replaceChildren(h('h2', {}, t('devices.pair_heading', { name })), h('p', {}, t('devices.pair_hint')), img,
      h('p', {}, h('code', { class: 'pair-url' }, r.pairing_url)));
    pairing.scrollIntoView({ behavior: 'smooth' });
  };
  const form = h('form', { class: 'form inline-form' },
    h('h2', {}, t('devices.add_heading')),
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('devices.name', h('input', { type: 'text', name: 'name', 'data-path': 'name', required: true, placeholder: t('devices.name_example') })),
    labelled('devices.list', h('select', { name: 'list', 'data-path': 'list' }, h('option', { value: 'event' }, t('devices.whole_event')),
      event.sessions.map((s) => h('option', { value: s.id }, s.title)))),
    h('button', { type: 'submit', class: 'primary' }, t('devices.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const r = await api('POST', base, { name: f.get('name'), list: f.get('list') });
      form.reset();
      await load();
      showPairing(r.name, r);
    } catch (err) { showFieldErrors(form, err); }
  });
  async function load() {
    const { devices } = await api('GET', base);
    body.replaceChildren(...devices.map((d) => h('tr', {},
      h('td', {}, d.name), h('td', {}, listName(d.list)),
      h('td', {}, d.revoked_at ? t('devices.revoked') : d.paired_at ? t('devices.paired') : t('devices.not_paired')),
      h('td', {}, d.last_seen_at ? fmtDateTime(d.last_seen_at) : '–'),
      h('td', { class: 'row-actions' }, d.revoked_at ? null : [
        h('button', { type: 'button', class: 'link', onclick: async () => {
          const name = prompt(t('devices.rename_prompt'), d.name);
          if (!name) return;
          try { await api('PATCH', `${base}/${d.id}`, { name }); await load(); } catch (err) { flash(err.message, 'error'); }
        } }, t('devices.rename')),
        h('button', { type: 'button', class: 'link', onclick: async () => {
          try { showPairing(d.name, await api('POST', `${base}/${d.id}/pairing`)); } catch (err) { flash(err.message, 'error'); }
        } }, t('devices.pair')),
        h('button', { type: 'button', class: 'link danger', onclick: async () => {
          if (!confirm(t('devices.confirm_revoke', { name: d.name }))) return;
          try { await api('DELETE', `${base}/${d.id}`); await load(); } catch (err) { flash(err.message, 'error'); }
        } }, t('devices.revoke'))]))));
  }
  app.replaceChildren(eventNav(event, 'devices'),
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['devices.name', 'devices.list', 'devices.state', 'devices.last_seen', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), body),
    form, pairing);
  await load();
}

// ---- Audit log ----

async function logView(event) {
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

// ---- Account: API tokens, invitations, users ----

async function accountView() {
  const info = await api('GET', '/api/v1/me');
  const tokens = h('tbody');
  const shown = h('div', { 'aria-live': 'polite' });
  const drawTokens = (list) => tokens.replaceChildren(...list.map((tk) => h('tr', {}, h('td', {}, tk.label || '–'), h('td', {}, fmtDateTime(tk.created_at)),
    h('td', {}, h('button', { type: 'button', class: 'link danger', onclick: async () => {
      if (!confirm(t('account.confirm_revoke'))) return;
      await api('DELETE', `/api/v1/tokens/${tk.id}`); drawTokens((await api('GET', '/api/v1/me')).tokens);
    } }, t('account.revoke'))))));
  drawTokens(info.tokens);
  const tokenForm = h('form', { class: 'form inline-form' },
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('account.token_label', h('input', { type: 'text', name: 'label', 'data-path': 'label', placeholder: t('account.token_example') })),
    h('button', { type: 'submit' }, t('account.create_token')));
  tokenForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/v1/tokens', { label: new FormData(tokenForm).get('label') });
      tokenForm.reset();
      shown.replaceChildren(h('p', { class: 'notice' }, t('account.token_once'), h('br'), h('code', { class: 'secret' }, r.token)));
      drawTokens((await api('GET', '/api/v1/me')).tokens);
    } catch (err) { showFieldErrors(tokenForm, err); }
  });
  const invited = h('div', { 'aria-live': 'polite' });
  const inviteForm = h('form', { class: 'form inline-form' },
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('account.invite_email', h('input', { type: 'email', name: 'email', 'data-path': 'email', required: true })),
    me.role === 'admin' ? labelled('account.invite_role', h('select', { name: 'role', 'data-path': 'role' },
      h('option', { value: 'organiser' }, t('role.organiser')), h('option', { value: 'admin' }, t('role.admin')))) : null,
    h('button', { type: 'submit' }, t('account.invite')));
  inviteForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(inviteForm);
    try {
      const r = await api('POST', '/api/v1/invitations', { email: f.get('email'), role: f.get('role') || 'organiser' });
      inviteForm.reset();
      invited.replaceChildren(h('p', { class: 'notice' }, t('account.invite_link', { email: r.email }), h('br'), h('code', { class: 'secret' }, r.url)));
    } catch (err) { showFieldErrors(inviteForm, err); }
  });
  const parts = [topNav(), h('h1', {}, t('account.heading')), h('p', {}, t('account.signed_in', { email: info.email, role: t(`role.${info.role}`) })),
    h('h2', {}, t('account.tokens')), h('p', { class: 'hint' }, t('account.tokens_hint')),
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['account.token_label', 'account.created', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))), tokens),
    tokenForm, shown,
    h('h2', {}, t('account.invite_heading')), h('p', { class: 'hint' }, t('account.invite_hint')), inviteForm, invited,
    h('h2', {}, t('account.sessions')), h('p', { class: 'hint' }, t('account.sessions_hint')), await sessionsTable()];
  if (me.role === 'admin') parts.push(h('h2', {}, t('account.users')), await usersTable());
  app.replaceChildren(...parts);
}

// Every sign-in of this account, where it was made; any but this one can be ended here.
async function sessionsTable() {
  const body = h('tbody');
  const draw = async () => body.replaceChildren(...(await api('GET', '/api/v1/me/sessions')).sessions.map((s) =>
    h('tr', { 'data-session': s.id }, h('td', {}, fmtDateTime(s.created_at)), h('td', { dir: 'auto' }, s.user_agent || '–'),
      h('td', {}, s.address), h('td', {}, s.current ? t('account.session_current')
        : h('button', { type: 'button', class: 'link danger', onclick: async () => {
          try { await api('DELETE', `/api/v1/me/sessions/${s.id}`); flash(t('account.session_ended')); } catch (err) { flash(err.message, 'error'); }
          await draw();
        } }, t('account.end_session'))))));
  await draw();
  return h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, ['account.session_started', 'account.session_device', 'account.session_address', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
    body);
}

// Admins: every account with its role (changeable) and whether it may sign in. The server
// refuses to disable or demote the last admin and says why.
async function usersTable() {
  const body = h('tbody');
  const change = async (u, path, method, payload, message) => {
    try {
      await api(method, path, payload);
      flash(t(message, { email: u.email }));
    } catch (err) { flash(err.message, 'error'); }
    await draw();
  };
  const row = (u) => {
    const base = `/api/v1/users/${u.id}`;
    const role = h('select', { 'aria-label': `${t('account.role')}: ${u.email}`, onchange: (ev) => change(u, base, 'PATCH', { role: ev.target.value }, 'account.changed') },
      ['organiser', 'admin'].map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
    const toggle = u.disabled_at
      ? h('button', { type: 'button', class: 'link', onclick: () => change(u, `${base}/enable`, 'POST', {}, 'account.changed') }, t('account.enable'))
      : h('button', { type: 'button', class: 'link danger', onclick: () => {
        if (confirm(t('account.confirm_disable', { email: u.email }))) change(u, `${base}/disable`, 'POST', {}, 'account.changed');
      } }, t('account.disable'));
    // Without a mail server, "forgot password" needs an admin to hand over the link.
    const resetLink = u.disabled_at ? null : h('button', { type: 'button', class: 'link', onclick: async () => {
      try {
        const r = await api('POST', `${base}/password-reset`, {});
        linkShown.replaceChildren(h('p', { class: 'notice' }, t('account.reset_link_made', { email: r.email }), h('br'), h('code', { class: 'secret' }, r.url)));
      } catch (err) { flash(err.message, 'error'); }
    } }, t('account.reset_link'));
    return h('tr', { 'data-user': u.email }, h('td', {}, u.email), h('td', {}, role),
      h('td', {}, u.disabled_at ? t('account.disabled', { date: fmtDateTime(u.disabled_at) }) : t('account.active')),
      h('td', {}, fmtDateTime(u.created_at)), h('td', {}, toggle, ' ', resetLink));
  };
  const linkShown = h('div', { 'aria-live': 'polite' });
  const draw = async () => body.replaceChildren(...(await api('GET', '/api/v1/users')).users.map(row));
  await draw();
  return h('div', {}, h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, ['account.email', 'account.role', 'account.status', 'account.created', 'attendees.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
    body), linkShown);
}

render();
