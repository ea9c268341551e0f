// The door page. Scans by camera (rear camera, continuous), by a handheld scanner that
// types like a keyboard (no tap needed), or by name search; shows each verdict across the
// whole screen with a sound; and keeps working when the Wi-Fi drops: scans are kept in this
// browser with their nonce and sent again until the server has them.

import { data, texts, t, $ } from './lib/page.js';
import { beep } from './door/sound.js';
import { forgetOfflineState, genuineReading, genuineTicket, offlineState, offlineVerdict, saveOfflineState } from './door/offline.js';
import { doorCamera } from './door/camera.js';
import { listenForScanner } from './door/scanner.js';

const lang = document.documentElement.lang;

const stored = JSON.parse(localStorage.getItem('einlass.device') || 'null');
const QUEUE_KEY = 'einlass.queue';
let info = null;       // device, event and list, from the server
let lastOk = null;     // the last admission this device made, for undo
let busyUntil = 0;     // while a verdict shows, the camera does not scan
let lastSeen = { code: '', at: 0 };

// ---- Server calls ----------------------------------------------------------------------

async function api(method, path, body, timeoutMs = 4000) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(path, {
      method,
      signal: ctrl.signal,
      headers: { 'Content-Type': 'application/json', 'Accept-Language': lang, Authorization: `Bearer ${stored?.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    return { status: res.status, json };
  } finally {
    clearTimeout(timer);
  }
}

// ---- The verdict -------------------------------------------------------------------------

const KIND = {
  ok: 'ok', checked_out: 'ok', undone: 'info', queued: 'info',
  already_checked_in: 'warn', not_inside: 'warn', conflict: 'warn',
  unknown_ticket: 'error', cancelled: 'error', waitlisted: 'error', unconfirmed: 'error', not_on_list: 'error', wrong_event: 'error', forged: 'error',
};

function formatTime(iso) {
  if (!iso) return '';
  const [hour, minute] = iso.slice(11, 16).split(':'); // the event's local time, as the server sent it
  return (data.time_format || '{hour}:{minute}').replace('{hour}', hour).replace('{minute}', minute);
}

let hideTimer = null;
function showVerdict(result, answer = {}) {
  const kind = KIND[result] || 'error';
  const v = $('verdict');
  v.className = `verdict ${kind}`;
  v.dataset.result = result;
  const a = answer.attendee;
  v.querySelector('.verdict-status').textContent = t(`door.status.${result}`);
  v.querySelector('.verdict-name').textContent = a ? `${a.first_name} ${a.last_name}` : '';
  v.querySelector('.verdict-org').textContent = a?.organisation || '';
  v.querySelector('.verdict-sessions').textContent = (a?.sessions || []).join(' · ');
  // Offline there is no time or device of the first admission to show: a reason of its own.
  const offlineKey = `door.reason.${result}_offline`;
  const reasonKey = answer.offline && offlineKey in texts ? offlineKey : `door.reason.${result}`;
  v.querySelector('.verdict-reason').textContent =
    reasonKey in texts ? t(reasonKey, { time: formatTime(answer.first_checked_in_at), device: answer.device || '' }) : '';
  v.hidden = false;
  remember(result, kind, a);
  beep(kind);
  const ms = kind === 'ok' || kind === 'info' ? 1000 : 1800;
  busyUntil = Date.now() + ms;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideVerdict, ms);
}
// The last scans under the controls: time, name if known, result; newest first.
function remember(result, kind, person) {
  const li = document.createElement('li');
  li.className = kind;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const who = document.createElement('span');
  who.dir = 'auto';
  who.textContent = person ? `${person.first_name} ${person.last_name}` : '–';
  const what = document.createElement('span');
  what.textContent = t(`door.status.${result}`);
  li.append(time, who, what);
  const list = $('door-history');
  list.prepend(li);
  while (list.children.length > 8) list.lastElementChild.remove();
}

function hideVerdict() {
  $('verdict').hidden = true;
  busyUntil = 0;
}
$('verdict').addEventListener('click', hideVerdict);

// ---- Offline: the list of tickets to refuse, kept fresh while online -----------------------

async function loadOfflineList() {
  const r = await api('GET', '/api/v1/device/offline');
  if (r.status !== 200) return;
  // Admissions still waiting in the queue are not in the server's list yet.
  const admitted = queue().length ? offlineState().admitted : [];
  saveOfflineState({ verdicts: r.json.verdicts, admitted });
}

const queue = () => JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]');
const saveQueue = (q) => { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); showNet(); };

function showNet(offline = queue().length > 0) {
  const net = $('door-net');
  net.hidden = !offline;
  net.textContent = t('door.offline', { n: queue().length });
}

async function flushQueue() {
  for (const scan of queue()) {
    try {
      const r = await api('POST', '/api/v1/checkins', scan);
      if (r.status === 200 || (r.status >= 400 && r.status < 500 && r.status !== 429)) {
        saveQueue(queue().filter((s) => s.nonce !== scan.nonce)); // delivered (or never deliverable)
      }
      // Let in here while offline, and at another door as well: staff see it now, the
      // organiser on the dashboard.
      if (r.status === 200 && r.json.conflict) showVerdict('conflict', r.json);
    } catch {
      return; // still offline
    }
  }
}

// ---- Scanning ----------------------------------------------------------------------------

const mode = () => document.querySelector('input[name="mode"]:checked')?.value || 'entry';

// `known`: the person as the name search showed them. A scan by registration id names the
// person only when it admits or lets out (the server keeps the list from devices otherwise).
async function scan(body, known = null) {
  const request = { ...body, type: mode(), nonce: crypto.randomUUID() };
  try {
    const r = await api('POST', '/api/v1/checkins', request);
    if (r.status === 200) {
      showVerdict(r.json.result, { ...r.json, attendee: r.json.attendee || known });
      if (r.json.result === 'ok' || r.json.result === 'checked_out') {
        lastOk = r.json.checkin_id;
        $('door-undo').disabled = false;
      }
      if (r.json.result === 'ok' && request.type === 'entry' && $('door-print').checked && r.json.attendee) printBadge(r.json.attendee.id);
      refresh();
      return r.json;
    }
    if (r.status === 401) return unpaired(true);
    showVerdict('unknown_ticket', {});
    return null;
  } catch {
    // No answer: keep the scan, judge what can be judged here.
    if (body.code && !(await genuineTicket(body.code, info?.event.ticket_public_key))) {
      showVerdict('forged', {});
      return null;
    }
    let result = 'queued';
    try {
      if (body.code && request.type === 'entry') result = await offlineVerdict(body.code);
    } catch { /* no SHA-256 here: the signature is all we can check */ }
    // The scan keeps its time, and says whether this door let the person in by itself.
    request.scanned_at = new Date().toISOString();
    request.admitted_offline = request.type === 'entry' && result === 'queued';
    saveQueue([...queue(), request]); // the server records refused scans too
    showVerdict(result, { offline: true });
    return null;
  }
}

// ---- Printing the badge of who was just admitted (switched on per device) -----------------

const PRINT_KEY = 'einlass.print_badges';
$('door-print').checked = localStorage.getItem(PRINT_KEY) === '1';
$('door-print').addEventListener('change', (ev) => localStorage.setItem(PRINT_KEY, ev.target.checked ? '1' : '0'));

// The single badge (a 62 mm label) as a PDF in a frame, then the browser's print dialog.
async function printBadge(id) {
  const frame = $('door-print-frame');
  try {
    const res = await fetch(`/api/v1/device/badges/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${stored?.token}` } });
    if (!res.ok) throw new Error(String(res.status));
    if (frame.dataset.url) URL.revokeObjectURL(frame.dataset.url);
    const url = URL.createObjectURL(await res.blob());
    frame.dataset.url = url;
    // The PDF viewer may load in more than one step: one print dialog per badge.
    frame.onload = () => {
      if (frame.dataset.toPrint !== url) return;
      delete frame.dataset.toPrint;
      try { frame.contentWindow.print(); } catch { /* the viewer prints by its own button */ }
    };
    frame.dataset.toPrint = url;
    frame.src = url;
  } catch {
    $('door-net').textContent = t('door.print_failed');
    $('door-net').hidden = false;
  }
}

async function onCode(text) {
  // In lower case or with Y and Z swapped (a scanner's keyboard layout): the genuine reading.
  const code = await genuineReading(text.trim(), info?.event.ticket_public_key);
  if (!code) return;
  const now = Date.now();
  if (code === lastSeen.code && now - lastSeen.at < 3000) return; // the same ticket still in front of the camera
  lastSeen = { code, at: now };
  scan({ code });
}

// A handheld scanner types the code and Enter, fast, whatever has the focus.
listenForScanner((text) => { lastSeen = { code: '', at: 0 }; onCode(text); }, () => $('walkin').open);

const camera = doorCamera(onCode, () => Date.now() < busyUntil);
$('door-fullscreen').addEventListener('click', () => document.documentElement.requestFullscreen?.().catch(() => {}));

// ---- Undo ------------------------------------------------------------------------------

$('door-undo').addEventListener('click', async () => {
  if (!lastOk) return;
  try {
    const r = await api('POST', `/api/v1/checkins/${lastOk}/undo`);
    if (r.status === 200) showVerdict('undone', r.json);
  } catch { /* offline: nothing to undo yet */ }
  lastOk = null;
  $('door-undo').disabled = true;
  refresh();
});

// ---- Name search -------------------------------------------------------------------------

let searchTimer = null;
$('door-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 250);
});
$('door-search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { e.preventDefault(); clearTimeout(searchTimer); runSearch(); }
});

async function runSearch() {
  const q = $('door-search').value.trim();
  const list = $('door-results');
  if ([...q].length < 3) { list.replaceChildren(); return; }
  let r;
  try { r = await api('GET', `/api/v1/device/search?q=${encodeURIComponent(q)}`); } catch { return; }
  if (r.status !== 200) return;
  list.replaceChildren();
  if (!r.json.results.length) {
    const li = document.createElement('li');
    li.textContent = t('door.search_none');
    list.append(li);
  }
  for (const p of r.json.results) {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.dir = 'auto';
    who.textContent = `${p.first_name} ${p.last_name}`;
    const org = document.createElement('small');
    org.textContent = [p.organisation, p.inside ? t('door.status.already_checked_in') : ''].filter(Boolean).join(' · ');
    who.append(org);
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = t('door.check_in');
    button.addEventListener('click', async () => {
      await scan({ registration_id: p.id }, p);
      $('door-search').value = '';
      list.replaceChildren();
    });
    li.append(who, button);
    list.append(li);
  }
}

// ---- Walk-ins ----------------------------------------------------------------------------

$('door-walkin').addEventListener('click', () => {
  $('walkin-form').reset();
  for (const el of $('walkin').querySelectorAll('.field-error')) el.hidden = true;
  $('walkin').showModal();
  $('w-first_name').focus();
});
$('walkin-cancel').addEventListener('click', () => $('walkin').close());
$('walkin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData($('walkin-form'));
  const body = {
    first_name: f.get('first_name'), last_name: f.get('last_name'), organisation: f.get('organisation'),
    organisation_type: f.get('organisation_type'), email: f.get('email'), consent: f.get('consent') === 'on', language: lang,
  };
  for (const el of $('walkin').querySelectorAll('.field-error')) el.hidden = true;
  let r;
  try { r = await api('POST', '/api/v1/device/walkins', body, 8000); } catch {
    $('walkin-error').textContent = t('form.network_error');
    $('walkin-error').hidden = false;
    return;
  }
  if (r.status === 201) {
    $('walkin').close();
    lastOk = r.json.checkin_id;
    $('door-undo').disabled = false;
    showVerdict(r.json.result, r.json);
    refresh();
    return;
  }
  const err = r.json.error || {};
  const fields = err.fields || [];
  for (const fe of fields) {
    const line = $(`we-${fe.field}`);
    if (line) { line.textContent = fe.message; line.hidden = false; }
  }
  if (!fields.length) {
    $('walkin-error').textContent = err.message || '';
    $('walkin-error').hidden = false;
  }
});

// ---- Start, and the live counter ---------------------------------------------------------

function unpaired(revoked = false) {
  // A revoked device keeps no list of anyone's tickets (scans not yet sent stay queued).
  if (revoked) { forgetOfflineState(); localStorage.removeItem(INFO_KEY); }
  $('door-main').hidden = true;
  const note = $('door-unpaired');
  note.textContent = t(revoked ? 'door.revoked' : 'door.not_paired');
  note.hidden = false;
  camera.stop();
  return null;
}

// The event, list and device as the server last told them: kept, so that a reload without
// network still knows the event's key and names the door.
const INFO_KEY = 'einlass.info';
function showInfo() {
  if (!info) return;
  $('door-event').textContent = info.event.title;
  const listTitle = info.list.id === 'event' ? t('door.list_event') : info.list.title;
  $('door-list').textContent = `${listTitle} · ${info.device.name}`;
  const c = info.counts;
  $('door-counter').textContent = `${t('door.counter', c)} · ${t('door.inside', c)}`;
  // The walk-in form marks what this event requires besides names and consent.
  for (const name of ['organisation', 'organisation_type']) {
    const required = info.event.fields?.[name] === 'required';
    const input = $(`w-${name}`);
    const label = document.querySelector(`label[for="w-${name}"]`);
    if (required) input.setAttribute('aria-required', 'true');
    else input.removeAttribute('aria-required');
    if (required && !label.querySelector('.req')) label.insertAdjacentHTML('beforeend', ' <span class="req" aria-hidden="true">*</span>');
  }
}

let refreshes = 0;
async function refresh() {
  try {
    const r = await api('GET', '/api/v1/device');
    if (r.status === 401) return unpaired(true);
    if (r.status !== 200) return;
    info = r.json;
    localStorage.setItem(INFO_KEY, JSON.stringify(info));
    showInfo();
    await flushQueue();
    if (refreshes++ % 6 === 0) await loadOfflineList(); // every 30 s
    showNet();
  } catch {
    showNet(true);
  }
}

if (!stored?.token) {
  unpaired();
} else {
  $('door-main').hidden = false;
  info = JSON.parse(localStorage.getItem(INFO_KEY) || 'null');
  showInfo();
  refresh();
  camera.startIfAllowed();
  setInterval(refresh, 5000);
  window.addEventListener('online', flushQueue);
}
// Installed as a web app, the page opens without network too (web/assets/door/sw.js).
if ('serviceWorker' in navigator && data.service_worker) {
  navigator.serviceWorker.register(data.service_worker, { scope: '/checkin' }).catch(() => {});
}
