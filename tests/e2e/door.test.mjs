// Door staff on a tablet: pair, then check in by camera (a fake camera showing a real
// ticket's QR, made from the PNG the server issued), by a handheld scanner typing the
// code, by name search; undo. Each step asserts the screen and what the server recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, forumEvent } from './harness.mjs';

let server;
let browser;
let tickets = {};

async function register(email, first, last, extra = {}) {
  const r = await server.api('POST', '/api/v1/events/tuer/registrations', {
    first_name: first, last_name: last, email, organisation: 'IQ Netzwerk Sachsen', organisation_type: 'other',
    consent: true, language: 'de', ...extra,
  });
  assert.equal(r.status, 201);
  return r.json.ticket.code;
}

// The ticket PNG the server issued, as a one-frame y4m for Chromium's fake camera.
async function cameraFile(code) {
  const png = Buffer.from(await (await fetch(`${server.base}/api/v1/tickets/${code}.png`)).arrayBuffer());
  const pngPath = join(server.dir, `${code.slice(0, 8)}.png`);
  const y4m = join(server.dir, `${code.slice(0, 8)}.y4m`);
  writeFileSync(pngPath, png);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', pngPath, '-vf',
    'scale=480:480:flags=neighbor,pad=640:480:80:0:white,format=yuv420p', '-frames:v', '1', '-f', 'yuv4mpegpipe', y4m]);
  return y4m;
}

async function pairedPage(context, initScript = null) {
  const device = await server.api('POST', '/api/v1/events/tuer/devices', { name: 'Eingang Nord' });
  assert.equal(device.status, 201);
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  await page.goto(device.json.pairing_url + '?lang=de');
  await page.getByRole('button', { name: 'Dieses Gerät koppeln' }).click();
  await page.waitForURL(/\/checkin/);
  await page.locator('#door-counter').filter({ hasText: 'eingecheckt' }).waitFor();
  return { page, deviceId: device.json.id };
}

// The camera on: this browser grants it, so it may have started by itself (once the page has
// decided, data-camera is "on" or "off"); else started by the button.
async function cameraOn(page) {
  await page.locator('#door-camera:not([data-camera="checking"])[data-camera]').waitFor({ timeout: 15000 });
  if (await page.locator('#door-video').isHidden()) await page.locator('#door-camera').click();
  await page.locator('#door-video').waitFor({ state: 'visible', timeout: 15000 });
}

// The code with one character of its signature changed: well-shaped, but not genuine.
const tampered = (code) => code.slice(0, 120) + (code[120] === 'A' ? 'B' : 'A') + code.slice(121);

async function verdict(page, result) {
  const v = page.locator(`#verdict[data-result="${result}"]`);
  await v.waitFor({ state: 'visible', timeout: 20000 });
  return v;
}

async function attendance(email) {
  const db = server.db;
  return execFileSync('sqlite3', [db, `SELECT count(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id WHERE r.email = '${email}' AND a.inside = 1`]).toString().trim();
}

before(async () => {
  server = await startServer();
  assert.equal((await server.api('POST', '/api/v1/events', { ...forumEvent('tuer'), slug: 'tuer' })).status, 201);
  tickets.camera = await register('kamera@example.org', 'Karla', 'Kamera');
  tickets.typed = await register('scanner@example.org', 'Hans', 'Handscanner');
  tickets.search = await register('suche@example.org', 'Samira', 'Sucher');
  const camera = await cameraFile(tickets.camera);
  browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${camera}`]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('pairs, then the camera shows green with the name, and the same QR again shows yellow', async () => {
  const { page } = await pairedPage(browser.context);
  await cameraOn(page);
  const green = await verdict(page, 'ok');
  assert.match(await green.textContent(), /Karla Kamera/);
  assert.match(await green.textContent(), /Willkommen/);
  assert.equal(await green.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(20, 108, 46)');
  assert.equal(await attendance('kamera@example.org'), '1');
  // Ready for the next person within about a second, no tap.
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  // The ticket is still in front of the camera: after the short pause it is scanned again.
  const yellow = await verdict(page, 'already_checked_in');
  assert.match(await yellow.textContent(), /Bereits eingecheckt/);
  assert.match(await yellow.textContent(), /Eingang Nord/);
  // The last scans stay readable after the colour has gone: newest first, with name and result.
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  const history = page.locator('#door-history li');
  assert.match(await history.nth(0).textContent(), /Karla Kamera.*Bereits eingecheckt/);
  assert.match(await history.nth(1).textContent(), /Karla Kamera.*Willkommen/);
  assert.equal(await history.nth(0).getAttribute('class'), 'warn');
  // Permission given once, the camera starts by itself after a reload.
  await page.reload();
  await page.locator('#door-video').waitFor({ state: 'visible', timeout: 15000 });
  await page.getByRole('button', { name: 'Kamera stoppen' }).click();
  // Stopped by staff, it stays off after a reload.
  await page.reload();
  await page.locator('#door-counter').filter({ hasText: 'eingecheckt' }).waitFor();
  assert.equal(await page.locator('#door-video').isHidden(), true);
  await page.close();
});

test('a handheld scanner typing the code checks in without a tap; undo takes it back', async () => {
  const { page } = await pairedPage(browser.context);
  await page.keyboard.type(tickets.typed, { delay: 2 });
  await page.keyboard.press('Enter');
  const green = await verdict(page, 'ok');
  assert.match(await green.textContent(), /Hans Handscanner/);
  assert.equal(await attendance('scanner@example.org'), '1');
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  await page.getByRole('button', { name: 'Letzten Check-in rückgängig machen' }).click();
  await verdict(page, 'undone');
  assert.equal(await attendance('scanner@example.org'), '0');
  await page.close();
});

test('name search finds a person and checks them in; the counter follows', async () => {
  const { page } = await pairedPage(browser.context);
  await page.getByLabel('Name oder Organisation suchen').fill('Sam');
  const hit = page.locator('#door-results li').filter({ hasText: 'Samira Sucher' });
  await hit.waitFor();
  await hit.getByRole('button', { name: 'Einchecken' }).click();
  const green = await verdict(page, 'ok');
  assert.match(await green.textContent(), /Samira Sucher/);
  assert.equal(await attendance('suche@example.org'), '1');
  await page.locator('#door-counter').filter({ hasText: /^2 von 3 eingecheckt/ }).waitFor();
  await page.close();
});

test('an unknown code is red with a reason, and a walk-in is registered and admitted', async () => {
  const { page } = await pairedPage(browser.context);
  await page.keyboard.type('NICHT-UNSER-TICKET');
  await page.keyboard.press('Enter');
  const red = await verdict(page, 'unknown_ticket');
  assert.match(await red.textContent(), /Unbekanntes Ticket/);
  assert.equal(await red.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(176, 0, 32)');
  await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  await page.getByRole('button', { name: 'Ohne Anmeldung? Vor Ort anmelden' }).click();
  await page.locator('#w-first_name').fill('Walter');
  await page.locator('#w-last_name').fill('Spontan');
  await page.locator('#w-organisation').fill('Handwerkskammer');
  await page.locator('#w-organisation_type').selectOption('chamber');
  await page.locator('#w-consent').check();
  await page.getByRole('button', { name: 'Anmelden und einchecken' }).click();
  const green = await verdict(page, 'ok');
  assert.match(await green.textContent(), /Walter Spontan/);
  await page.close();
});

test('when the server cannot be reached, a genuine ticket is kept and sent later', async () => {
  const code = await register('offline@example.org', 'Olga', 'Offline');
  const cancelled = await register('storniert@example.org', 'Carl', 'Storniert');
  execFileSync('sqlite3', [server.db, "UPDATE registrations SET status = 'cancelled' WHERE email = 'storniert@example.org'"]);
  const { page, deviceId } = await pairedPage(browser.context);
  // The door has the server's list of tickets to refuse before the network goes.
  await page.waitForFunction(() => localStorage.getItem('einlass.offline'));
  await page.route('**/api/v1/checkins', (route) => route.abort('internetdisconnected'));
  const scanTyped = async (text, result) => {
    await page.keyboard.type(text, { delay: 1 });
    await page.keyboard.press('Enter');
    const v = await verdict(page, result);
    const shown = await v.textContent();
    await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
    return shown;
  };
  await scanTyped(code, 'queued');
  await page.locator('#door-net').filter({ hasText: '1 Scans' }).waitFor();
  // A cancelled ticket is genuine, but the door knows it was cancelled: red even offline.
  assert.match(await scanTyped(cancelled, 'cancelled'), /storniert/);
  // A forged code is refused even offline: nonsense, and a genuine code with its signature altered.
  await scanTyped('A'.repeat(140), 'forged');
  await scanTyped(tampered(code), 'forged');
  // The first ticket again while offline: yellow, not a second admission.
  assert.match(await scanTyped(code, 'already_checked_in'), /Keine Verbindung\. Nach dem letzten Stand/);
  await page.unroute('**/api/v1/checkins');
  await page.locator('#door-net').waitFor({ state: 'hidden', timeout: 15000 });
  assert.equal(await attendance('offline@example.org'), '1');
  // Every scan reached the server and was recorded with its answer there.
  const results = execFileSync('sqlite3', [server.db, "SELECT group_concat(c.result, ',') FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.email IN ('offline@example.org', 'storniert@example.org') ORDER BY c.id"]).toString().trim();
  assert.deepEqual(results.split(',').sort(), ['already_checked_in', 'cancelled', 'ok']);
  // Revoked, the tablet says so at its next refresh and forgets the list.
  assert.equal((await server.api('DELETE', `/api/v1/events/tuer/devices/${deviceId}`)).status, 200);
  await page.locator('#door-unpaired').filter({ hasText: 'abgemeldet' }).waitFor({ timeout: 20000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('einlass.offline')), null);
  await page.close();
});

test('a browser without Ed25519 in WebCrypto still tells a forged ticket offline', async () => {
  const code = await register('ohne-webcrypto@example.org', 'Wenke', 'Webcrypto');
  // As in browsers before Ed25519 arrived in WebCrypto: importKey refuses the algorithm.
  const { page } = await pairedPage(browser.context, () => {
    const importKey = crypto.subtle.importKey.bind(crypto.subtle);
    crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
      ((algorithm?.name || algorithm) === 'Ed25519'
        ? Promise.reject(new DOMException('Ed25519 is not supported', 'NotSupportedError'))
        : importKey(format, key, algorithm, ...rest));
  });
  const loaded = [];
  page.on('request', (r) => { if (r.url().includes('/assets/vendor/noble')) loaded.push(new URL(r.url()).pathname); });
  await page.route('**/api/v1/checkins', (route) => route.abort('internetdisconnected'));
  const scanTyped = async (text, result) => {
    await page.keyboard.type(text, { delay: 1 });
    await page.keyboard.press('Enter');
    await verdict(page, result);
    await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  };
  await scanTyped(tampered(code), 'forged');
  await scanTyped(code, 'queued');
  assert.ok(loaded.includes('/assets/vendor/noble-ed25519.js'), `the fallback was loaded: ${loaded}`);
  await page.unroute('**/api/v1/checkins');
  await page.locator('#door-net').waitFor({ state: 'hidden', timeout: 15000 });
  assert.equal(await attendance('ohne-webcrypto@example.org'), '1');
  await page.close();
});

// Issue 13: a handheld scanner types a few ms per key and Enter. Wherever the focus is, such a
// burst is a scan and never text; lower case and Y/Z swapped (a US-configured scanner on a
// German tablet) are the same ticket; a name typed by hand still searches.
test('a scanner burst is a scan wherever the focus is, in any case and layout; a typed name searches', async () => {
  const who = {};
  for (const k of ['switch', 'search', 'button', 'lower', 'arabic']) who[k] = await register(`burst-${k}@example.org`, 'Bernd', `Burst${k}`);
  let swapped = '';
  for (let i = 0; i < 5 && !/[YZ]/.test(swapped); i++) swapped = await register(`burst-yz${i}@example.org`, 'Yvonne', `Zwei${i}`);
  assert.match(swapped, /[YZ]/);
  const { page } = await pairedPage(browser.context);
  const burst = async (text, result, name) => {
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press('Enter');
    const v = await verdict(page, result);
    if (name) assert.match(await v.textContent(), name);
    await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
  };
  // The entry/exit switch has the focus.
  await page.locator('input[name="mode"][value="entry"]').focus();
  await burst(who.switch, 'ok', /Bernd Burstswitch/);
  await page.locator('input[name="mode"][value="exit"]').click();
  await burst(who.switch, 'checked_out', /Bernd Burstswitch/);
  await page.locator('input[name="mode"][value="entry"]').click();
  // The search box with a half-typed name: the scan lands, the name stays and still searches.
  const search = page.getByLabel('Name oder Organisation suchen');
  await search.click();
  await page.keyboard.type('Sam', { delay: 150 });
  await burst(who.search, 'ok', /Bernd Burstsearch/);
  assert.equal(await search.inputValue(), 'Sam');
  // A button has the focus: scanned, and the button is not pressed.
  await page.getByRole('button', { name: 'Ohne Anmeldung? Vor Ort anmelden' }).focus();
  await burst(who.button, 'ok', /Bernd Burstbutton/);
  assert.equal(await page.locator('#walkin').evaluate((d) => d.open), false);
  // Lower case, and Y and Z swapped.
  await burst(who.lower.toLowerCase(), 'ok', /Bernd Burstlower/);
  await burst(swapped.replace(/[YZ]/g, (c) => (c === 'Y' ? 'Z' : 'Y')), 'ok', /Yvonne Zwei/);
  // Typed by hand into the search box (100 ms and more per key): a search, not a scan.
  await search.fill('');
  await search.click();
  await page.keyboard.type('Samira', { delay: 120 });
  await page.keyboard.press('Enter');
  await page.locator('#door-results li').filter({ hasText: 'Samira Sucher' }).waitFor();
  assert.equal(await page.locator('#verdict').isHidden(), true);
  // In Arabic (right to left), with the focus in the search box.
  await page.goto(`${server.base}/checkin?lang=ar`);
  await page.locator('#door-counter').filter({ hasText: /\d/ }).waitFor();
  await page.locator('#door-search').click();
  await burst(who.arabic, 'ok', /Bernd Burstarabic/);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  for (const k of ['switch', 'search', 'button', 'lower', 'arabic']) assert.equal(await attendance(`burst-${k}@example.org`), k === 'switch' ? '0' : '1');
  await page.close();
});

// Issue 13: two tablets offline admit the same ticket. Back online, exactly one admission
// counts; the tablet that synced second shows the conflict, the organiser's stats count it,
// and each scan keeps the time it was made, not the time the Wi-Fi came back.
test('two tablets offline admitting one ticket: one admission, the conflict shown and counted', async () => {
  const code = await register('zweimal@example.org', 'Zora', 'Zweimal');
  const second = await launchBrowser();
  try {
    const north = (await pairedPage(browser.context)).page;
    const south = (await pairedPage(second.context)).page;
    for (const page of [north, south]) {
      await page.waitForFunction(() => localStorage.getItem('einlass.offline'));
      await page.route('**/api/v1/checkins', (route) => route.abort('internetdisconnected'));
      await page.keyboard.type(code, { delay: 2 });
      await page.keyboard.press('Enter');
      await verdict(page, 'queued');
    }
    const offlineAt = Date.now();
    await new Promise((ok) => setTimeout(ok, 2500)); // the Wi-Fi comes back later
    await north.unroute('**/api/v1/checkins');
    await north.locator('#door-net').waitFor({ state: 'hidden', timeout: 20000 });
    await south.unroute('**/api/v1/checkins');
    const conflict = await verdict(south, 'conflict');
    assert.match(await conflict.textContent(), /Doppelt eingelassen/);
    assert.match(await conflict.textContent(), /Zora Zweimal/);
    assert.equal(await attendance('zweimal@example.org'), '1');
    const stats = await server.api('GET', '/api/v1/events/tuer/stats');
    assert.equal(stats.json.offline_conflicts, 1);
    const list = await server.api('GET', '/api/v1/events/tuer/conflicts');
    assert.equal(list.json.conflicts.length, 1);
    assert.equal(list.json.conflicts[0].devices.length, 2);
    // Both scans kept the tablets' time: before the network came back.
    const times = execFileSync('sqlite3', [server.db, "SELECT c.at FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.email = 'zweimal@example.org' AND c.received_at IS NOT NULL"]).toString().trim().split('\n');
    assert.equal(times.length, 2);
    for (const at of times) assert.ok(Date.parse(at) <= offlineAt + 1000, `${at} is the scan's time`);
    await north.close();
    await south.close();
  } finally {
    await second.close();
  }
});

// Issue 13: the door page is a web app (manifest, service worker). With the network gone, a
// reload of /checkin opens the page, keeps its pairing and its unsent scans, and goes on
// admitting by signature; back online, the scans are sent and keep their time.
test('installable; a reload without network opens the page and goes on admitting', async () => {
  const venue = await startServer(); // its own server, to be cut off and brought back
  try {
    assert.equal((await venue.api('POST', '/api/v1/events', { ...forumEvent('pwa'), slug: 'pwa' })).status, 201);
    const reg = await venue.api('POST', '/api/v1/events/pwa/registrations', {
      first_name: 'Rita', last_name: 'Reload', email: 'rita@example.org', organisation: 'IHK', organisation_type: 'chamber',
      consent: true, language: 'de' });
    const code = reg.json.ticket.code;
    const manifest = await (await fetch(`${venue.base}/checkin.webmanifest?lang=ar`)).json();
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.dir, 'rtl');
    assert.equal(manifest.start_url, '/checkin?lang=ar');
    for (const icon of manifest.icons) {
      const res = await fetch(venue.base + icon.src);
      assert.equal(res.status, 200, icon.src);
    }
    assert.deepEqual(manifest.icons.map((i) => i.sizes), ['192x192', '512x512', 'any']);

    const device = await venue.api('POST', '/api/v1/events/pwa/devices', { name: 'Saal' });
    const page = await browser.context.newPage();
    await page.goto(device.json.pairing_url + '?lang=de');
    await page.getByRole('button', { name: 'Dieses Gerät koppeln' }).click();
    await page.waitForURL(/\/checkin/);
    await page.locator('#door-counter').filter({ hasText: 'eingecheckt' }).waitFor();
    assert.equal(await page.locator('link[rel="manifest"]').getAttribute('href'), '/checkin.webmanifest?lang=de');
    // The worker has taken the page and keeps what it needs (the page itself included).
    const kept = () => page.evaluate(async () => {
      const name = (await caches.keys()).find((k) => k.startsWith('einlass-door-'));
      if (!name || !navigator.serviceWorker.controller) return false;
      const c = await caches.open(name);
      for (const url of ['/checkin', '/assets/checkin.js', '/assets/door/offline.js', '/assets/vendor/jsQR.js'])
        if (!(await c.match(url))) return false;
      return true;
    });
    for (let i = 0; i < 200 && !(await kept()); i++) await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(await kept(), true);

    await venue.halt(); // the network is gone
    const reloaded = await page.reload();
    assert.equal(reloaded.fromServiceWorker(), true);
    await page.locator('#door-event').filter({ hasText: 'Fachforum' }).waitFor();
    await page.locator('#door-net').waitFor({ state: 'visible', timeout: 15000 });
    await page.keyboard.type(code, { delay: 2 });
    await page.keyboard.press('Enter');
    await verdict(page, 'queued');
    await page.locator('#verdict').waitFor({ state: 'hidden', timeout: 15000 });
    // A second reload still offline: the unsent scan is kept.
    await page.reload();
    await page.locator('#door-net').filter({ hasText: '1 Scan' }).waitFor({ timeout: 15000 });
    const scannedBefore = Date.now();

    await venue.resume(); // back: the scan is sent by itself and keeps its time
    await page.locator('#door-net').waitFor({ state: 'hidden', timeout: 30000 });
    const row = execFileSync('sqlite3', [venue.db, "SELECT c.result || ' ' || c.at FROM checkins c JOIN registrations r ON r.id = c.registration_id WHERE r.email = 'rita@example.org'"]).toString().trim();
    const [result, at] = row.split(' ');
    assert.equal(result, 'ok');
    assert.ok(Date.parse(at) <= scannedBefore, `${at} is the scan's time`);
    await page.close();
  } finally {
    await venue.stop();
  }
});

// Issue 13: a tablet held sideways (1024 x 768) with the camera on keeps the switch, undo and
// walk-in on screen, and the walk-in form fits and marks what is required.
test('in landscape with the camera on, every control is on screen; the walk-in form fits', async () => {
  const { page } = await pairedPage(browser.context);
  await page.setViewportSize({ width: 1024, height: 768 });
  await cameraOn(page);
  const onScreen = async (locator) => {
    const box = await locator.boundingBox();
    return box && box.y >= 0 && box.y + box.height <= 768 && box.x >= 0 && box.x + box.width <= 1024;
  };
  for (const control of [page.locator('input[name="mode"][value="exit"]'), page.locator('#door-undo'),
    page.locator('#door-walkin'), page.locator('#door-search'), page.locator('#door-camera')])
    assert.equal(await onScreen(control), true, await control.evaluate((el) => el.id || el.value));
  await page.locator('#door-camera').click(); // the camera off again, for the tests after this one
  await page.locator('#door-walkin').click();
  for (const control of [page.locator('#w-first_name'), page.getByRole('button', { name: 'Anmelden und einchecken' }),
    page.getByRole('button', { name: 'Abbrechen' })])
    assert.equal(await onScreen(control), true);
  assert.equal(await page.locator('#w-first_name').getAttribute('aria-required'), 'true');
  assert.equal(await page.locator('#w-consent').getAttribute('aria-required'), 'true');
  assert.equal(await page.locator('label[for="w-last_name"] .req').count(), 1);
  await page.getByRole('button', { name: 'Abbrechen' }).click();
  await page.close();
});

test('switched on for this device, the door loads the badge of who was just admitted for printing', async () => {
  const r = await server.api('POST', '/api/v1/events/tuer/registrations', {
    first_name: 'Dora', last_name: 'Drucker', email: 'druck@example.org', organisation: 'IQ Netzwerk Sachsen',
    organisation_type: 'other', consent: true, language: 'de',
  });
  assert.equal(r.status, 201);
  // Headless Chromium has no print dialog (printing a PDF frame crashes it): the frame's print()
  // is counted instead, as the camera is faked.
  const { page } = await pairedPage(browser.context, () => {
    const real = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
    Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
      get() { return this.id === 'door-print-frame' ? { print: () => { window.printed = (window.printed || 0) + 1; } } : real.get.call(this); },
    });
  });
  const badges = [];
  page.on('response', (res) => { if (res.url().includes('/api/v1/device/badges/')) badges.push(res); });
  const print = page.getByLabel('Namensschild nach dem Einlass drucken (auf diesem Gerät)');
  assert.equal(await print.isChecked(), false, 'off until switched on');
  await print.check();
  await page.keyboard.type(r.json.ticket.code, { delay: 2 });
  await page.keyboard.press('Enter');
  await page.locator('#door-history li.ok', { hasText: 'Dora Drucker' }).waitFor({ timeout: 20000 });
  // The camera may admit its own ticket meanwhile: each admission prints its badge, once.
  await page.waitForFunction(() => window.printed >= 1, null, { timeout: 10000 });
  const dora = badges.find((res) => res.url().endsWith(`/api/v1/device/badges/${r.json.id}`));
  assert.ok(dora, 'her badge was fetched');
  assert.equal(dora.status(), 200);
  assert.equal(dora.headers()['content-type'], 'application/pdf');
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.printed), badges.length, 'one print dialog for each badge');
  await page.locator('#door-print-frame[src^="blob:"]').waitFor({ state: 'attached' });
  const printed = execFileSync('sqlite3', [server.db, "SELECT badge_printed_at IS NOT NULL FROM registrations WHERE email = 'druck@example.org'"]).toString().trim();
  assert.equal(printed, '1', 'marked printed: the organisers\' "not yet printed" sheet leaves it out');
  // The switch belongs to this device: still on after a reload.
  await page.reload();
  await page.locator('#door-counter').filter({ hasText: 'eingecheckt' }).waitFor();
  const again = page.getByLabel('Namensschild nach dem Einlass drucken (auf diesem Gerät)');
  assert.equal(await again.isChecked(), true);
  await again.uncheck(); // the browser's storage is shared with the other tests
  await page.close();
});
