// The organiser's account: API tokens, invitations, logins, and (admins) users.
import { t, h } from '../lib/page.js';
import { link, render, topNav } from '../admin.js';
import { api, app, flash, fmtDateTime, labelled, me, showFieldErrors } from './common.js';

export async function accountView() {
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
export async function sessionsTable() {
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
export async function usersTable() {
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
