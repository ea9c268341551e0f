// Organisations: who invites and who answers for the data. An admin makes them and gives them
// organisers; members complete what the imprint and the privacy notice say (texts in each
// language side by side), upload the logo, and copy the list of events into their website.
import { t, h } from '../lib/page.js';
import { go, link, render, topNav } from '../admin.js';
import { api, app, enc, flash, imageForm, labelled, me, showFieldErrors } from './common.js';
import { markMissing, readTexts, textsField } from './languages.js';
import { webhooksPanel } from './webhooks.js';

const DETAILS = ['legal_name', 'address', 'representative', 'email', 'phone', 'website', 'register', 'vat_id', 'dpo', 'authority'];
const MULTILINE = ['address', 'dpo', 'authority'];
const TEXTS = ['about', 'imprint', 'privacy'];
const isAdmin = () => me.role === 'admin';

export async function organisationsView() {
  const { organisations } = await api('GET', '/api/v1/organisations');
  const list = organisations.length === 0 ? h('p', { class: 'hint' }, t('orgs.none'))
    : h('ul', { class: 'plain' }, organisations.map((o) => h('li', {}, link(`/admin/organisations/${enc(o.slug)}`, o.name),
      ' ', h('small', {}, `/o/${o.slug}`))));
  const parts = [topNav('organisations'), h('h1', {}, t('orgs.heading')), h('p', { class: 'hint' }, t('orgs.hint')), list];
  if (isAdmin()) parts.push(newForm());
  app.replaceChildren(...parts);
}

function newForm() {
  const form = h('form', { class: 'form inline-form' },
    h('h2', {}, t('orgs.new')),
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('orgs.name', h('input', { type: 'text', name: 'name', 'data-path': 'name', required: true, maxlength: 200 })),
    labelled('orgs.slug', h('input', { type: 'text', name: 'slug', 'data-path': 'slug', required: true, maxlength: 64 }), t('orgs.slug_hint')),
    h('button', { type: 'submit', class: 'primary' }, t('orgs.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      const o = await api('POST', '/api/v1/organisations', { name: f.get('name').trim(), slug: f.get('slug').trim() });
      go(`/admin/organisations/${enc(o.slug)}`);
      flash(t('orgs.created'));
    } catch (err) { showFieldErrors(form, err); }
  });
  return form;
}

export async function organisationView(slug) {
  const o = await api('GET', `/api/v1/organisations/${enc(slug)}`);
  const missing = h('p', { class: 'hint', role: 'status' });
  const form = h('form', { class: 'form editor', novalidate: true },
    h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
    labelled('orgs.name', h('input', { type: 'text', name: 'name', 'data-path': 'name', value: o.name, required: true, maxlength: 200 })),
    h('h2', {}, t('orgs.imprint_heading')), h('p', { class: 'hint' }, t('orgs.imprint_hint')),
    h('div', { class: 'grid' }, DETAILS.map((k) => labelled(`orgs.detail.${k}`, MULTILINE.includes(k)
      ? h('textarea', { name: `details.${k}`, 'data-path': `details.${k}`, rows: 3, dir: 'auto' }, o.details[k] || '')
      : h('input', { type: k === 'email' ? 'email' : k === 'website' ? 'url' : 'text', name: `details.${k}`, 'data-path': `details.${k}`, value: o.details[k] || '', dir: 'auto' })))),
    h('h2', {}, t('orgs.texts_heading')), h('p', { class: 'hint' }, t('orgs.texts_hint')), missing,
    TEXTS.map((k) => textsField(`orgs.text.${k}`, `texts.${k}`, o.texts[k] || {}, { base: 'de', area: true, rows: 4 })),
    h('p', { class: 'hint' }, t('orgs.privacy_version', { version: o.privacy_version })),
    h('p', {}, h('button', { type: 'submit', class: 'primary' }, t('editor.save'))));
  const mark = () => markMissing(form, 'de', missing);
  form.addEventListener('input', mark);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const details = Object.fromEntries(DETAILS.map((k) => [k, form.elements[`details.${k}`].value.trim()]));
    const texts = Object.fromEntries(TEXTS.map((k) => [k, readTexts(form, `texts.${k}`)]));
    try {
      await api('PATCH', `/api/v1/organisations/${enc(slug)}`, { name: form.elements.name.value.trim(), details, texts });
      await render();
      flash(t('editor.saved'));
    } catch (err) { showFieldErrors(form, err); }
  });
  const hooks = await webhooksPanel({ organisation: o.slug }, `/api/v1/organisations/${enc(o.slug)}/webhooks`);
  app.replaceChildren(topNav('organisations'), h('h1', {}, o.name), publicLinks(o), form, logoForm(o), members(o), snippet(o),
    h('section', {}, h('h2', {}, t('orgs.webhooks')), h('p', { class: 'hint' }, t('orgs.webhooks_hint')), ...hooks));
  mark();
}

function publicLinks(o) {
  const a = (href, key) => h('a', { href, target: '_blank', rel: 'noopener' }, t(key));
  return h('p', { class: 'actions' }, a(o.links.page, 'orgs.public_page'), ' · ', a(o.links.imprint, 'orgs.public_imprint'), ' · ',
    a(o.links.privacy, 'orgs.public_privacy'), ' · ', a(o.links.events_ics, 'orgs.public_feed'));
}

// The logo is served from its own public address; uploads go to the API.
function logoForm(o) {
  const keys = Object.fromEntries(['heading', 'current', 'none', 'file', 'hint', 'upload', 'remove', 'saved', 'removed'].map((k) => [k, `orgs.logo_${k}`]));
  return imageForm({ url: `/api/v1/organisations/${enc(o.slug)}/logo`, preview: o.logo, accept: 'image/png,image/svg+xml', keys, done: render, name: 'logo' });
}

function members(o) {
  const rows = h('ul', { class: 'plain', 'data-members': '' }, o.members.map((m) => h('li', {}, m.email, ' ',
    isAdmin() ? h('button', { type: 'button', class: 'link danger', onclick: async () => {
      try { await api('DELETE', `/api/v1/organisations/${enc(o.slug)}/members/${m.id}`); await render(); } catch (err) { flash(err.message, 'error'); }
    } }, t('share.remove')) : null)));
  const parts = [h('h2', {}, t('orgs.members')), h('p', { class: 'hint' }, t('orgs.members_hint')), rows];
  if (isAdmin()) {
    const form = h('form', { class: 'form inline-form' },
      h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
      labelled('share.email', h('input', { type: 'email', name: 'email', 'data-path': 'email', required: true })),
      h('button', { type: 'submit' }, t('orgs.add_member')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', `/api/v1/organisations/${enc(o.slug)}/members`, { email: new FormData(form).get('email') });
        await render();
        flash(t('orgs.member_added'));
      } catch (err) { showFieldErrors(form, err); }
    });
    parts.push(form);
  }
  return h('section', {}, ...parts);
}

// What a network pastes into its own website: a script tag (the frame grows to fit) or a plain frame.
function snippet(o) {
  const base = location.origin;
  const script = `<script src="${base}/assets/embed.js" data-organisation="${o.slug}" data-lang="de" async></script>`;
  const frame = `<iframe src="${base}/o/${o.slug}/embed?lang=de" title="${o.name.replace(/"/g, '&quot;')}" style="width:100%;border:0" height="600"></iframe>`;
  const code = (id, text) => h('textarea', { id, readonly: true, rows: 3, dir: 'ltr', class: 'snippet' }, text);
  return h('section', {}, h('h2', {}, t('orgs.embed_heading')), h('p', { class: 'hint' }, t('orgs.embed_hint')),
    h('label', { for: 'snippet-script' }, t('orgs.embed_script')), code('snippet-script', script),
    h('label', { for: 'snippet-frame' }, t('orgs.embed_frame')), code('snippet-frame', frame));
}
