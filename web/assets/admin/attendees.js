// Attendees: filters, the table, one person's details and actions; the event's mails.
import { t, h } from '../lib/page.js';
import { eventNav, link } from '../admin.js';
import { api, app, enc, flash, fmtDateTime, fmtLanguage, fmtNumber, labelled, showFieldErrors } from './common.js';

export async function attendeesView(event) {
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
  const addButton = h('button', { type: 'button', class: 'primary', onclick: () => edit(null) }, t('attendees.add'));
  const body = h('tbody');
  const pager = h('p', { class: 'actions' });
  const dialog = h('dialog', { class: 'edit' });
  // Sorting by a column: its header is a button; the list says which way it is sorted.
  let sort = params.get('sort') || 'name';
  let order = params.get('order') || 'asc';
  const sortable = { 'attendees.name': 'name', 'attendees.organisation': 'organisation', 'attendees.status': 'status', 'attendees.checked_in': 'checked_in_at' };
  const pageBox = h('input', { type: 'checkbox', 'aria-label': t('attendees.select_page'), onchange: () => { for (const b of body.querySelectorAll('.pick')) b.checked = pageBox.checked; picked(); } });
  const head = h('tr', {}, h('th', { scope: 'col' }, pageBox), ['attendees.name', 'attendees.organisation', 'attendees.status', 'attendees.sessions', 'attendees.checked_in', 'attendees.mail', 'attendees.actions'].map((k) =>
    h('th', { scope: 'col', dataset: sortable[k] ? { sort: sortable[k] } : {} },
      sortable[k] ? h('button', { type: 'button', class: 'link sort', onclick: () => { order = sort === sortable[k] && order === 'asc' ? 'desc' : 'asc'; sort = sortable[k]; markSort(); load(0); } }, t(k)) : t(k))));
  const markSort = () => head.querySelectorAll('th[data-sort]').forEach((th) => {
    if (th.dataset.sort === sort) th.setAttribute('aria-sort', order === 'asc' ? 'ascending' : 'descending'); else th.removeAttribute('aria-sort');
  });
  // Bulk work: the people ticked on this page, or everyone the filter finds.
  let allOfFilter = false;
  let total = 0;
  const bulkState = h('span', { role: 'status' });
  const wholeFilter = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => { allOfFilter = true; picked(); } });
  const bulkAction = h('select', { 'aria-label': t('attendees.bulk_action') }, ['cancel', 'restore', 'confirm', 'resend', 'move_session', 'export'].map((k) => h('option', { value: k }, t(`attendees.bulk.${k}`))));
  const sessionSelect = (label, any) => h('select', { 'aria-label': t(label), hidden: true }, any ? h('option', { value: '' }, t('attendees.any_session')) : null, event.sessions.map((x) => h('option', { value: x.id }, x.title)));
  const moveFrom = sessionSelect('attendees.move_from', true);
  const moveTo = sessionSelect('attendees.move_to', false);
  bulkAction.addEventListener('change', () => { moveFrom.hidden = moveTo.hidden = bulkAction.value !== 'move_session'; });
  const bulk = h('div', { class: 'bulk actions', hidden: true }, bulkState, ' ', wholeFilter, ' ', bulkAction, moveFrom, moveTo,
    h('button', { type: 'button', class: 'primary', onclick: () => runBulk() }, t('attendees.bulk_run')));
  function picked() {
    const boxes = [...body.querySelectorAll('.pick')];
    const n = allOfFilter ? total : boxes.filter((b) => b.checked).length;
    if (!boxes.every((b) => b.checked)) allOfFilter = false;
    bulk.hidden = n === 0;
    bulkState.textContent = t('attendees.selected', { count: fmtNumber(allOfFilter ? total : boxes.filter((b) => b.checked).length) });
    wholeFilter.hidden = allOfFilter || total <= boxes.length || !boxes.every((b) => b.checked);
    wholeFilter.textContent = t('attendees.select_all', { count: fmtNumber(total) });
  }
  const query = () => {
    const q = new URLSearchParams();
    for (const el of filters.elements) if (el.name && el.value) q.set(el.name, el.value);
    return q;
  };
  async function runBulk() {
    const ids = allOfFilter ? null : [...body.querySelectorAll('.pick:checked')].map((b) => Number(b.value));
    const count = allOfFilter ? total : ids.length;
    if (bulkAction.value === 'export') {
      const q = query();
      if (ids) q.set('ids', ids.join(','));
      location.href = `${base}/attendees.xlsx?${q}`;
      return;
    }
    if (!confirm(t('attendees.bulk_confirm', { action: t(`attendees.bulk.${bulkAction.value}`), count: fmtNumber(count) }))) return;
    const body2 = { action: bulkAction.value, ...(ids ? { ids } : {}) };
    if (bulkAction.value === 'move_session') Object.assign(body2, { to: Number(moveTo.value), ...(moveFrom.value ? { from: Number(moveFrom.value) } : {}) });
    try {
      const r = await api('POST', `${base}/attendees/bulk${allOfFilter ? `?${query()}` : ''}`, body2);
      allOfFilter = false;
      pageBox.checked = false;
      await load(offset);
      flash(t('attendees.bulk_done', { done: fmtNumber(r.done), unchanged: fmtNumber(r.unchanged), failed: fmtNumber(r.failed.length), promoted: fmtNumber(r.promoted.length) }), r.failed.length ? 'error' : 'ok');
    } catch (err) { flash(err.message, 'error'); }
  }
  app.replaceChildren(eventNav(event, 'attendees'), h('p', { class: 'actions' }, addButton), filters, summary, bulk,
    h('table', { class: 'list attendees' }, h('thead', {}, head), body),
    pager, dialog);
  markSort();
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
    if (sort !== 'name' || order !== 'asc') { q.set('sort', sort); q.set('order', order); }
    history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
    q.set('offset', from);
    q.set('limit', 50);
    const page = await api('GET', `${base}/attendees?${q}`);
    summary.textContent = t('attendees.count', { total: fmtNumber(page.total) });
    total = page.total;
    body.replaceChildren(...page.attendees.map((a) => h('tr', { dataset: { id: a.id } },
      h('td', {}, h('input', { type: 'checkbox', class: 'pick', value: a.id, 'aria-label': t('attendees.select_one', { name: `${a.first_name} ${a.last_name}` }), onchange: picked })),
      h('td', {}, a.anonymised ? h('em', {}, t('attendees.anonymised')) : `${a.first_name} ${a.last_name}`, a.email ? h('div', { class: 'hint' }, a.email) : null),
      h('td', {}, a.organisation, a.organisation_type ? h('div', { class: 'hint' }, t(`otype.${a.organisation_type}`)) : null),
      h('td', {}, h('span', { class: `badge ${a.status}` }, t(`reg.${a.status}`))),
      h('td', {}, a.sessions.map(sessionTitle).join(', ')),
      h('td', {}, a.checked_in_at ? fmtDateTime(a.checked_in_at) : '–'),
      h('td', {}, mailSummary(a.mails)),
      h('td', { class: 'row-actions' },
        a.anonymised ? null : h('button', { type: 'button', class: 'link', onclick: () => edit(a) }, t('attendees.edit')),
        // The rest folds into one menu: the column stays narrow at any width.
        h('details', { class: 'menu' }, h('summary', { 'aria-label': `${t('attendees.more')}: ${a.first_name} ${a.last_name}` }, t('attendees.more')),
          h('div', {},
            a.status !== 'cancelled' ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'cancel') }, t('attendees.cancel')) : null,
            a.status === 'cancelled' && !a.anonymised ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'restore') }, t('attendees.restore')) : null,
            a.status === 'waitlisted' ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'confirm') }, t('attendees.confirm')) : null,
            a.status === 'confirmed' && !a.anonymised && !a.checked_in_at ? h('button', { type: 'button', class: 'link', onclick: () => correct(a, 'admit') }, t('attendees.admit')) : null,
            a.checked_in_at ? h('button', { type: 'button', class: 'link', onclick: () => correct(a, 'unadmit') }, t('attendees.unadmit')) : null,
            a.ticket_code ? h('a', { href: `/t/${a.ticket_code}`, target: '_blank', rel: 'noopener' }, t('attendees.ticket')) : null,
            // One badge again (lost, misspelt): a 62 mm label.
            a.status === 'confirmed' && !a.anonymised ? h('a', { href: `${base}/badges.pdf?layout=label-62&qr=1&id=${a.id}`, download: '' }, t('attendees.badge')) : null,
            a.email && a.status !== 'cancelled' && !a.anonymised ? h('button', { type: 'button', class: 'link', onclick: () => act(a, 'resend') }, t('attendees.resend')) : null,
            h('a', { href: `${base}/attendees/${a.id}?download=1`, download: '' }, t('attendees.data')),
            a.anonymised ? null : h('button', { type: 'button', class: 'link danger', onclick: () => act(a, 'anonymise') }, t('attendees.anonymise'))))))));
    pager.replaceChildren(
      from > 0 ? h('button', { type: 'button', onclick: () => load(Math.max(0, from - 50)) }, t('attendees.previous')) : '',
      page.total > 50 ? h('span', { class: 'hint' }, t('attendees.range', { from: fmtNumber(from + 1), to: fmtNumber(Math.min(from + 50, page.total)), total: fmtNumber(page.total) })) : '',
      from + 50 < page.total ? h('button', { type: 'button', onclick: () => load(from + 50) }, t('attendees.next')) : '');
    allOfFilter = false;
    pageBox.checked = false;
    picked();
  }

  // A check-in corrected by hand, always with a reason: admitted (came without the ticket) or
  // taken back (scanned by mistake); on the whole event or one session's list.
  function correct(a, action) {
    const name = `${a.first_name} ${a.last_name}`;
    const form = h('form', { method: 'dialog', class: 'form' },
      h('h2', {}, t(`attendees.${action}_heading`, { name })),
      h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
      event.sessions.length ? labelled('attendees.list', h('select', { name: 'list', 'data-path': 'list' }, h('option', { value: 0 }, t('attendees.whole_event')),
        event.sessions.map((s) => h('option', { value: s.id }, s.title)))) : null,
      labelled('attendees.reason', h('textarea', { name: 'reason', 'data-path': 'reason', rows: 3, maxlength: 500, required: true })),
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t(`attendees.${action}`)), ' ',
        h('button', { type: 'button', onclick: () => dialog.close() }, t('attendees.close'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api('POST', `${base}/attendees/${a.id}/${action}`, { reason: form.elements.reason.value, list: Number(form.elements.list?.value || 0) });
        dialog.close();
        await load(offset);
        if (r.result === 'ok' || r.result === 'undone') flash(t(`attendees.done_${action}`, { name }));
        else flash(t('attendees.not_admitted', { result: t(`export.result.${r.result}`) }), 'error');
      } catch (err) { showFieldErrors(form, err); }
    });
    dialog.replaceChildren(form);
    dialog.showModal();
  }

  // One person's form: their details (a: the registration) or a new person taken by phone or
  // at the desk (a: null), with consent, the ticket mail and a seat over the capacity.
  function edit(person) {
    const adding = !person;
    const a = person || { answers: {}, sessions: [], language: event.language || 'de' };
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
      h('h2', {}, t(adding ? 'attendees.add_heading' : 'attendees.edit_heading')),
      h('p', { class: 'form-error error', role: 'alert', tabindex: -1, hidden: true }),
      text('first_name'), text('last_name'), text('email', 'email'), text('organisation'),
      labelled('field.organisation_type', h('select', { name: 'organisation_type', 'data-path': 'organisation_type' }, h('option', { value: '' }, '–'),
        ['company', 'chamber', 'public_administration', 'job_centre', 'education_provider', 'migrant_organisation', 'other'].map((k) => h('option', { value: k, selected: a.organisation_type === k }, t(`otype.${k}`))))),
      text('position'), text('phone', 'tel'),
      labelled('field.language', h('select', { name: 'language' }, ['de', 'en', 'ar'].map((l) => h('option', { value: l, selected: a.language === l }, fmtLanguage(l))))),
      event.sessions.length ? h('fieldset', { 'data-path': 'sessions' }, h('legend', {}, t('attendees.sessions')), event.sessions.map((s) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'sessions', value: s.id, checked: a.sessions.includes(s.id) }), ' ', s.title))) : null,
      answers,
      adding ? h('fieldset', {}, h('legend', {}, t('attendees.add_options')),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'consent', 'data-path': 'consent', required: true }), ' ', t('attendees.add_consent')),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'notify', checked: true }), ' ', t('attendees.add_notify')),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'over_capacity' }), ' ', t('attendees.add_over_capacity'))) : null,
      h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t(adding ? 'attendees.add_submit' : 'editor.save')), ' ',
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
        if (adding) {
          Object.assign(body, { consent: form.elements.consent.checked, notify: form.elements.notify.checked, over_capacity: form.elements.over_capacity.checked });
          const r = await api('POST', `${base}/attendees`, body);
          dialog.close();
          await load(offset);
          // The ticket to print for someone without an address, or to hand over at the desk.
          flash(h('span', {}, t(`attendees.added_${r.status}`, { name: `${r.first_name} ${r.last_name}` }), ' ',
            body.notify && r.email ? t('attendees.participant_told', { email: r.email }) : '', ' ',
            h('a', { href: `/t/${r.ticket.code}`, target: '_blank', rel: 'noopener' }, t('attendees.print_ticket'))));
          return;
        }
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
export function mailSummary(mails) {
  if (!mails || mails.length === 0) return t('mail.none');
  const m = mails[mails.length - 1];
  return h('span', { class: `badge mail-${m.status}`, title: m.last_error || '' }, `${t(`mailkind.${m.kind}`)}: ${t(`mail.${m.status}`)}`);
}

export async function mailsView(event) {
  const { mails, sending } = await api('GET', `/api/v1/events/${enc(event.slug)}/mails`);
  // replaceChildren() would show a null as the text "null": the notice only when it applies.
  app.replaceChildren(eventNav(event, 'mails'),
    h('p', { class: 'hint' }, t('mails.hint')),
    ...(sending ? [] : [h('p', { class: 'notice' }, t('mails.not_configured'))]),
    mails.length === 0 ? h('p', { class: 'hint' }, t('dashboard.nothing')) : h('table', { class: 'list', tabindex: 0, 'aria-label': t('nav.mails') },
      h('thead', {}, h('tr', {}, ['mails.created', 'mails.to', 'mails.kind', 'mails.status', 'mails.sent_at', 'mails.error'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, mails.map((m) => h('tr', {}, h('td', {}, fmtDateTime(m.created_at)), h('td', {}, m.registration ?? '–'),
        h('td', {}, t(`mailkind.${m.kind}`)), h('td', {}, h('span', { class: `badge mail-${m.status}` }, t(`mail.${m.status}`))),
        h('td', {}, m.sent_at ? fmtDateTime(m.sent_at) : '–'), h('td', { class: 'hint' }, m.last_error || ''))))));
}
