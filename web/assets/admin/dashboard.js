// The live dashboard of one event: figures, arrivals, refreshed while it is open.
import { lang, t, h } from '../lib/page.js';
import { eventNav, onLeave } from '../admin.js';
import { api, app, enc, fmtDateTime, fmtLanguage, fmtNumber, fmtPercent, labelled } from './common.js';

export async function dashboardView(event) {
  const base = `/api/v1/events/${enc(event.slug)}`;
  const tiles = h('div', { class: 'tiles' });
  const sessions = h('div');
  const types = h('div');
  const devices = h('div');
  // Tickets two doors admitted while one was offline: shown only when there are any.
  const conflicts = h('section', { id: 'conflicts', hidden: true });
  const chart = h('img', { class: 'chart', alt: t('dashboard.arrivals'), width: 720, height: 260 });
  const status = h('p', { class: 'hint', role: 'status' });
  const download = (file, key) => h('a', { class: 'button', href: `${base}/${file}`, download: '' }, t(key));
  app.replaceChildren(eventNav(event, 'dashboard'), status, tiles, conflicts,
    h('h2', {}, t('dashboard.arrivals')), chart,
    h('h2', {}, t('dashboard.by_session')), sessions,
    h('h2', {}, t('dashboard.by_type')), types,
    h('h2', {}, t('dashboard.by_device')), devices,
    h('h2', {}, t('dashboard.downloads')),
    h('p', { class: 'actions' }, download('attendees.xlsx', 'download.attendees_xlsx'), download('attendees.csv', 'download.attendees_csv'),
      h('a', { class: 'button', href: `${base}/attendees.csv?separator=comma`, download: '' }, t('download.attendees_csv_comma')),
      download('attendees.json', 'download.attendees_json'), download('stats.xlsx', 'download.stats_xlsx'), download('stats.csv', 'download.stats_csv')),
    badgesForm(event, base),
    // The signature lists: the whole event, and one per working group.
    h('p', { class: 'actions' }, download(`attendance.pdf`, 'attendance.download'),
      ...event.sessions.map((x) => h('a', { class: 'button', href: `${base}/attendance.pdf?list=${x.id}`, download: '' }, `${t('attendance.heading')}: ${x.title}`))),
    // After the event: certificates for those who came and the report for the funder.
    certificatesLink(base),
    h('p', { class: 'actions' }, download('report.pdf?lang=de', 'report.download_de'), download('report.pdf?lang=en', 'report.download_en')));

  const tile = (key, value, id) => h('div', { class: 'tile', id }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, key ? t(key) : ''));
  // Focusable: on a narrow screen the table scrolls sideways, by keyboard too.
  const table = (label, heads, rows) => rows.length === 0 ? h('p', { class: 'hint' }, t('dashboard.nothing')) : h('table', { class: 'list', tabindex: 0, 'aria-label': t(label) },
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
        // While the event runs, who has not come yet is still expected, not a no-show.
        new Date(event.ends_at) > new Date() ? tile('stat.expected', fmtNumber(s.no_shows), 'tile-no-show')
          : tile('stat.no_show_rate', fmtPercent(s.no_show_rate), 'tile-no-show'),
        tile('stat.offline_conflicts', fmtNumber(s.offline_conflicts), 'tile-conflicts'),
        ...(s.overbooked > 0 ? [tile('stat.overbooked', fmtNumber(s.overbooked), 'tile-overbooked')] : []));
      tiles.querySelector('#tile-conflicts').classList.toggle('warn', s.offline_conflicts > 0);
      tiles.querySelector('#tile-overbooked')?.classList.add('warn');
      if (s.offline_conflicts > 0) {
        const c = await api('GET', `${base}/conflicts`);
        const at = (i, r) => `${r.devices[i] || t('dashboard.no_device')}, ${fmtDateTime(r.at[i])}`;
        conflicts.replaceChildren(h('h2', {}, t('dashboard.conflicts')), h('p', { class: 'hint' }, t('dashboard.conflicts_hint')),
          table('dashboard.conflicts', ['dashboard.person', 'dashboard.first_admission', 'dashboard.second_admission'],
            c.conflicts.map((r) => [`${r.first_name} ${r.last_name}`, at(0, r), at(1, r)])));
      }
      conflicts.hidden = !(s.offline_conflicts > 0);
      sessions.replaceChildren(table('dashboard.by_session', ['dashboard.session', 'dashboard.capacity', 'stat.confirmed', 'stat.waitlisted', 'stat.present', 'stat.checked_in_session'],
        s.by_session.map((r) => [r.title, r.capacity === null ? '–' : fmtNumber(r.capacity),
          r.capacity !== null && r.confirmed > r.capacity ? `${fmtNumber(r.confirmed)} (${t('dashboard.overbooked_by', { count: fmtNumber(r.confirmed - r.capacity) })})` : fmtNumber(r.confirmed),
          fmtNumber(r.waitlisted), fmtNumber(r.present), fmtNumber(r.checked_in)])));
      types.replaceChildren(table('dashboard.by_type', ['dashboard.type', 'stat.confirmed', 'stat.waitlisted', 'stat.cancelled', 'stat.checked_in'],
        Object.entries(s.by_organisation_type).map(([k, r]) => [t(k ? `otype.${k}` : 'otype.none'), fmtNumber(r.confirmed), fmtNumber(r.waitlisted), fmtNumber(r.cancelled), fmtNumber(r.checked_in)])));
      devices.replaceChildren(table('dashboard.by_device', ['dashboard.device', 'stat.admitted'], s.by_device.map((d) => [d.name || t('dashboard.no_device'), fmtNumber(d.admitted)])));
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
  onLeave(() => { stopped = true; clearTimeout(timer); });
  await refresh();
}

// The certificates of those who came: each in the person's language, or all in one (for a
// funder who reads German only).
function certificatesLink(base) {
  const file = `${base}/certificates.pdf`;
  const link = h('a', { class: 'button', href: file, download: '' }, t('certificate.download'));
  const language = h('select', { name: 'certificate_lang' }, h('option', { value: '' }, t('certificate.each_language')),
    ['de', 'en', 'ar'].map((l) => h('option', { value: l }, fmtLanguage(l))));
  language.addEventListener('change', () => { link.href = language.value ? `${file}?lang=${language.value}` : file; });
  return h('div', { class: 'form inline-form' }, labelled('certificate.language', language), h('p', { class: 'actions' }, link));
}

// Name badges: a sheet layout or the label printer, everyone or one working group (or only
// those whose badge was not printed yet), with or without the ticket's QR code; the browser
// downloads the PDF.
function badgesForm(event, base) {
  const layout = h('select', { name: 'layout' }, ['a4-8', 'a4-10', 'label-62'].map((l) => h('option', { value: l }, t(`badges.layout_${l.replace('-', '_')}`))));
  const group = h('select', { name: 'session' }, h('option', { value: '' }, t('badges.everyone')), event.sessions.map((x) => h('option', { value: x.id }, x.title)));
  const qr = h('input', { type: 'checkbox', name: 'qr' });
  const fresh = h('input', { type: 'checkbox', name: 'printed' });
  const form = h('form', { class: 'form inline-form badges' },
    labelled('badges.layout', layout), event.sessions.length ? labelled('badges.group', group) : null,
    h('label', { class: 'check' }, qr, ' ', t('badges.qr')),
    h('label', { class: 'check' }, fresh, ' ', t('badges.not_printed')),
    h('button', { type: 'submit' }, t('badges.download')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams({ layout: layout.value });
    if (group.value) q.set('session', group.value);
    if (qr.checked) q.set('qr', '1');
    if (fresh.checked) q.set('printed', 'no');
    location.href = `${base}/badges.pdf?${q}`;
  });
  return form;
}
