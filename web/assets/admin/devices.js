// Door devices: add, pair by QR code, rename, renew, revoke.
import { t, h } from '../lib/page.js';
import { eventNav, link } from '../admin.js';
import { api, app, enc, flash, fmtDateTime, labelled, showFieldErrors } from './common.js';

export async function devicesView(event) {
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
