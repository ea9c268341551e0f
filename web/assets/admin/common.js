// The workspace's shared pieces: the signed-in organiser, the view's container, the API
// with the login cookie and CSRF token, formatting, and messages.
import { data, lang, t, h } from '../lib/page.js';

export const me = data.user || {};
export const app = document.getElementById('app');

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || t('error.network'));
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields || [];
  }
}

// body: sent as JSON, or a file (a logo) as it is with its own type.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = data.csrf;
  const file = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = file ? (body.type || 'application/octet-stream') : 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined || file ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 401) { location.href = `/admin/login?next=${encodeURIComponent(location.pathname)}`; throw new ApiError(401, null); }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const enc = encodeURIComponent;
const locale = lang === 'de' ? 'de-DE' : 'en-GB';
// The API gives wall time in the event's (or the server's) zone: shown as written there, in
// the reader's words ("6. Dez. 2026, 10:00"), never converted to the browser's zone.
const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
export const fmtDateTime = (iso) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || '');
  return m ? dateTimeFormat.format(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5])) : (iso || '');
};
const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
export const fmtLanguage = (code) => (code ? languageNames.of(code) : '');
export const fmtNumber = (n) => new Intl.NumberFormat(locale).format(n);
export const fmtPercent = (f) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(f);
export const localInput = (iso) => (iso ? iso.slice(0, 16) : '');  // the API gives wall time in the event's zone

export function flash(message, kind = 'ok') {
  const box = h('p', { class: `flash ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  document.querySelector('.flash')?.remove();
  app.prepend(box);
  if (kind !== 'error') setTimeout(() => box.remove(), 6000);
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, err.message);
}

// Puts the server's field errors next to inputs carrying data-path="<field path>".
export function showFieldErrors(form, err) {
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

export function labelled(key, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, key ? t(key) : ''), input, hint ? h('small', { class: 'hint' }, hint) : null);
}

// An image to upload (an organisation's logo, a certificate's signature, a funder's logo): what
// is there now (`preview`: its address, or none), a file field, upload and remove; PUT and
// DELETE go to `url`, then `done()`.
// keys: message keys for heading, current (the preview's alt text), none, file, hint, upload,
// remove, saved and removed.
export function imageForm({ url, preview, accept = 'image/png', keys, done, name = 'image' }) {
  const has = !!preview;
  const shown = has ? h('img', { src: `${preview}?v=${Date.now()}`, alt: t(keys.current), class: 'logo-preview' }) : h('p', { class: 'hint' }, t(keys.none));
  const file = h('input', { type: 'file', name, accept, 'data-path': name });
  const form = h('form', { class: 'form inline-form', dataset: { image: name } },
    h(keys.level || 'h2', {}, t(keys.heading)), shown,
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled(keys.file, file, t(keys.hint)),
    h('button', { type: 'submit' }, t(keys.upload)), ' ',
    has ? h('button', { type: 'button', class: 'link danger', onclick: async () => {
      try { await api('DELETE', url); await done(); flash(t(keys.removed)); } catch (err) { flash(err.message, 'error'); }
    } }, t(keys.remove)) : null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!file.files[0]) return;
    try {
      await api('PUT', url, file.files[0]);
      await done();
      flash(t(keys.saved));
    } catch (err) { showFieldErrors(form, err); }
  });
  return form;
}
