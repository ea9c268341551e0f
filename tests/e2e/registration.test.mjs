// A participant registers through /e/{slug} in a real browser and holds a ticket whose
// QR code, as the screen shows it, decodes to the code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, decodeQr, forumEvent, inDays, axeViolations } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  const created = await server.api('POST', '/api/v1/events', forumEvent('fachforum'));
  assert.equal(created.status, 201);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function ticketCodeOnScreen(page) {
  const code = new URL(page.url()).pathname.split('/').pop();
  const img = page.locator('figure.qr img');
  await img.waitFor();
  await page.waitForFunction(() => document.querySelector('figure.qr img').complete);
  const decoded = decodeQr(await img.screenshot(), server.dir);
  return { code, decoded };
}

test('registers in German and shows a ticket whose QR decodes to the code', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/e/fachforum`);
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.getByLabel('Vorname').fill('Jürgen');
  await page.getByLabel('Nachname').fill('Müller');
  await page.getByLabel('E-Mail-Adresse').fill('juergen.mueller@example.org');
  await page.getByLabel('Organisation', { exact: false }).first().fill('ZAW Leipzig');
  await page.getByLabel('Art der Organisation').selectOption('education_provider');
  await page.getByLabel('AG Berufseinstieg').check();
  await page.locator('#f-consent').check();
  await page.getByRole('button', { name: 'Verbindlich anmelden' }).click();
  await page.waitForURL(/\/t\/[A-Z2-7]{140}/);
  await page.getByText('Sie sind angemeldet.').waitFor();
  assert.match(await page.textContent('main'), /Jürgen Müller/);
  assert.match(await page.textContent('main'), /AG Berufseinstieg/);
  await page.getByRole('button', { name: 'Drucken' }).waitFor();
  const { code, decoded } = await ticketCodeOnScreen(page);
  assert.equal(decoded, code);
  // What the server recorded.
  const ev = await server.api('GET', '/api/v1/events/fachforum');
  assert.equal(ev.json.confirmed, 1);
  assert.equal(ev.json.sessions[0].confirmed, 1);
  await page.close();
});

test('registers in Arabic, right to left, and the ticket speaks Arabic', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/e/fachforum?lang=ar`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await page.getByLabel('الاسم الأول').fill('محمد');
  await page.getByLabel('اسم العائلة').fill('الكيلاني');
  await page.getByLabel('البريد الإلكتروني').fill('m.alkilani@example.org');
  await page.locator('#f-organisation').fill('جمعية الجسر');
  await page.locator('#f-organisation_type').selectOption('migrant_organisation');
  await page.locator('#f-consent').check();
  await page.getByRole('button', { name: 'سجّل الآن' }).click();
  await page.waitForURL(/\/t\//);
  await page.getByText('تم تسجيلك.').waitFor();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.match(await page.textContent('main'), /محمد الكيلاني/);
  const { code, decoded } = await ticketCodeOnScreen(page);
  assert.equal(decoded, code);
  await page.close();
});

test('checks fields before sending and names them in the page language', async () => {
  const page = await browser.context.newPage();
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posted++; });
  await page.goto(`${server.base}/e/fachforum?lang=en`);
  await page.getByLabel('First name').fill('Amina');
  await page.getByLabel('E-mail address').fill('amina@');
  await page.getByRole('button', { name: 'Register' }).click();
  const summary = page.locator('#error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.match(await summary.textContent(), /Last name: Please fill in this field\./);
  assert.match(await page.textContent('#e-email'), /Please enter a valid e-mail address/);
  assert.equal(await page.getAttribute('#f-email', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary');
  assert.equal(await page.inputValue('#f-first_name'), 'Amina');
  assert.equal(posted, 0);
  await page.close();
});

// Issue 16: the summary names consent and required single choices in words; two sessions at
// the same time are said when ticked; a shared tablet does not hand on someone's form.
test('required choices, consent and overlapping sessions are named before sending; no form is handed on', async () => {
  const created = await server.api('POST', '/api/v1/events', {
    ...forumEvent('zeitplan'),
    sessions: [
      { title: 'AG Anerkennung', starts_at: inDays(20, '10:00'), ends_at: inDays(20, '12:00') },
      { title: 'AG Ausbildung', starts_at: inDays(20, '11:00'), ends_at: inDays(20, '13:00') },
    ],
    questions: [{ label: 'Mittagessen', kind: 'single', options: ['vegetarisch', 'vegan'], required: true }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const page = await browser.context.newPage();
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posted++; });
  await page.goto(`${server.base}/e/zeitplan?lang=de`);
  // Every box stands beside its text with room between; a wrapped line stays under the text.
  const boxes = await page.evaluate(() => [...document.querySelectorAll('label.choice')].map((l) => {
    const box = l.querySelector('input').getBoundingClientRect();
    const text = l.querySelector('span').getBoundingClientRect();
    return text.left - box.right;
  }));
  assert.ok(boxes.length >= 5 && boxes.every((gap) => gap >= 6), `gaps ${boxes}`);
  await page.getByLabel('Vorname').fill('Nadia');
  await page.getByLabel('Nachname').fill('Haddad');
  await page.getByLabel('E-Mail-Adresse').fill('nadia@example.org');
  await page.getByLabel(/AG Anerkennung/).check();
  await page.getByLabel(/AG Ausbildung/).check();
  await page.locator('#e-sessions').filter({ hasText: 'gleichzeitig' }).waitFor();
  await page.getByLabel(/AG Ausbildung/).uncheck();
  assert.equal(await page.locator('#e-sessions').isVisible(), false);
  await page.getByRole('button', { name: 'Verbindlich anmelden' }).click();
  const summary = page.locator('#error-summary');
  await summary.waitFor({ state: 'visible' });
  const text = await summary.innerText();
  assert.match(text, /Einwilligung: /);
  assert.match(text, /Mittagessen: /);
  assert.doesNotMatch(text, /consent|answers\./);
  assert.equal(posted, 0);
  // Consent given, then the page reloaded: the typing is back, the consent is not.
  await page.locator('#f-consent').check();
  await page.reload();
  assert.equal(await page.inputValue('#f-first_name'), 'Nadia');
  assert.equal(await page.locator('#f-consent').isChecked(), false);
  // Left for longer than a while on a shared tablet: the next person finds an empty form.
  await page.evaluate(() => {
    const key = 'einlass-draft-zeitplan';
    const draft = JSON.parse(sessionStorage.getItem(key));
    sessionStorage.setItem(key, JSON.stringify({ ...draft, at: Date.now() - 16 * 60000 }));
  });
  await page.reload();
  assert.equal(await page.inputValue('#f-first_name'), '');
  await page.close();
});

test('the language switch keeps what was typed', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/e/fachforum?lang=de`);
  await page.getByLabel('Vorname').fill('Lena');
  await page.getByLabel('E-Mail-Adresse').fill('lena@example.org');
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.inputValue('#f-first_name'), 'Lena');
  assert.equal(await page.inputValue('#f-email'), 'lena@example.org');
  await page.getByRole('button', { name: 'العربية' }).click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.inputValue('#f-first_name'), 'Lena');
  await page.close();
});

test('a duplicate e-mail is refused with a clear message and nothing typed is lost', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/e/fachforum?lang=de`);
  await page.getByLabel('Vorname').fill('Jürgen');
  await page.getByLabel('Nachname').fill('Müller');
  await page.getByLabel('E-Mail-Adresse').fill('JUERGEN.MUELLER@example.org');
  await page.locator('#f-organisation').fill('ZAW');
  await page.locator('#f-organisation_type').selectOption('company');
  await page.locator('#f-consent').check();
  await page.getByRole('button', { name: 'Verbindlich anmelden' }).click();
  await page.locator('#e-email').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#e-email'), /bereits jemand angemeldet/);
  assert.equal(await page.inputValue('#f-last_name'), 'Müller');
  // Issue 14: the ticket is offered again, to the address just typed.
  assert.equal(await page.inputValue('#resend-email'), 'JUERGEN.MUELLER@example.org');
  await page.getByRole('button', { name: 'Ticket erneut senden' }).click();
  await page.locator('.resend-answer').filter({ hasText: 'Wenn diese Adresse angemeldet ist' }).waitFor();
  await page.close();
});

test('works with JavaScript off: plain form post, errors, then a ticket', async () => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  await page.goto(`${server.base}/e/fachforum?lang=en`);
  await page.getByLabel('First name').fill('Nour');
  await page.getByLabel('Last name').fill('Saleh');
  await page.getByLabel('E-mail address').fill('nour@');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.textContent('#e-email'), /Please enter a valid e-mail address/);
  assert.equal(await page.inputValue('#f-first_name'), 'Nour');
  await page.getByLabel('E-mail address').fill('nour.saleh@example.org');
  await page.locator('#f-organisation').fill('Jobcenter Dessau');
  await page.locator('#f-organisation_type').selectOption('job_centre');
  await page.locator('#f-consent').check();
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL(/\/t\//);
  await page.getByText('You are registered.').waitFor();
  await page.close();
});

test('every field has a label, errors are tied to fields, and 200% zoom needs no sideways scrolling', async () => {
  const page = await browser.context.newPage();
  for (const lang of ['de', 'en', 'ar']) {
    await page.goto(`${server.base}/e/fachforum?lang=${lang}`);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter((el) => el.labels.length === 0 && !el.closest('fieldset legend, label'))
        .map((el) => el.name));
    assert.deepEqual(unlabelled, [], `${lang}: fields without a label`);
    const untied = await page.evaluate(() =>
      [...document.querySelectorAll('.field-error')]
        .filter((e) => !document.querySelector(`[aria-describedby~="${e.id}"]`))
        .map((e) => e.id));
    assert.deepEqual(untied, [], `${lang}: error lines no field points to`);
  }
  // A 390 px phone at 200% zoom lays out like a 195 px wide window.
  await page.setViewportSize({ width: 195, height: 800 });
  await page.goto(`${server.base}/e/fachforum?lang=de`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the window at 200% zoom`);
  // Keyboard only: Tab reaches the first field after the skip link and the language switch.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.base}/e/fachforum?lang=de`);
  const reached = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
  }
  assert.ok(reached.includes('f-first_name'), `tab order: ${reached.join(', ')}`);
  await page.close();
});

// Issue 13: the ticket page printed (or saved as PDF) from Chromium fits one page with the
// whole QR code, in German, English and Arabic (right to left); read back with poppler and
// zbarimg, independent of the browser.
test('the ticket prints on one page with the whole QR code in every language', async () => {
  const sessions = (await server.api('GET', '/api/v1/events/fachforum')).json.sessions;
  const reg = await server.api('POST', '/api/v1/events/fachforum/registrations', {
    first_name: 'محمد', last_name: 'العلي', email: 'druck@example.org', organisation: 'جمعية الجالية العربية في ماغدبورغ',
    organisation_type: 'migrant_organisation', sessions: [sessions[0].id], consent: true, language: 'ar' });
  assert.equal(reg.status, 201);
  const code = reg.json.ticket.code;
  const page = await browser.context.newPage();
  for (const lang of ['de', 'en', 'ar']) {
    await page.goto(`${server.base}/t/${code}?lang=${lang}`);
    const pdf = join(server.dir, `ticket-${lang}.pdf`);
    await page.pdf({ path: pdf, format: 'A4' });
    assert.match(execFileSync('pdfinfo', [pdf]).toString(), /Pages:\s+1\n/, lang);
    execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', pdf, join(server.dir, `ticket-${lang}`)]);
    const read = execFileSync('zbarimg', ['--quiet', '--raw', join(server.dir, `ticket-${lang}.png`)],
      { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    assert.equal(read, code, lang);
  }
  await page.close();
});

// Issue 16: the manage page's buttons were 22 px tall; each is a 44 px target now.
test('the manage page has buttons a thumb can hit', async () => {
  const reg = await server.api('POST', '/api/v1/events/fachforum/registrations', {
    first_name: 'Greta', last_name: 'Groß', email: 'daumen@example.org', organisation: 'IHK', organisation_type: 'chamber',
    consent: true, language: 'de' });
  assert.equal(reg.status, 201);
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/t/${reg.json.ticket.code}?lang=de`);
  await page.getByRole('link', { name: 'Anmeldung ändern oder stornieren' }).click();
  const buttons = page.locator('main button');
  assert.ok((await buttons.count()) >= 1);
  for (const b of await buttons.all()) {
    const box = await b.boundingBox();
    assert.ok(box.height >= 44, `${await b.textContent()}: ${box.height} px`);
  }
  await page.close();
});

// Issue 14: what the organiser wrote in Arabic reaches an Arabic reader, right to left; where
// nothing was written in the reader's language the event's German shows, marked as German.
test('an event written in German and Arabic reads in each language, marked, and passes axe', async () => {
  const spec = forumEvent('finden-und-binden');
  spec.title = { de: 'Finden und Binden', ar: 'إيجاد الكفاءات والاحتفاظ بها' };
  spec.sessions = [{ title: { de: 'AG Anerkennung', ar: 'مجموعة الاعتراف' }, capacity: 30 }, { title: { de: 'AG Ausbildung', ar: 'مجموعة التدريب' } }];
  spec.questions = [{ label: { de: 'Essen', ar: 'الطعام' }, kind: 'single', required: true,
    options: { de: ['vegetarisch', 'mit Fleisch'], ar: ['نباتي', 'مع لحم'] } }];
  const created = await server.api('POST', '/api/v1/events', spec);
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const page = await browser.context.newPage();
  const found = [];
  for (const lang of ['de', 'en', 'ar']) {
    await page.goto(`${server.base}/e/finden-und-binden?lang=${lang}`);
    found.push(...(await axeViolations(page)).map((v) => `${lang}: ${v}`));
  }
  assert.deepEqual(found, []);

  await page.goto(`${server.base}/e/finden-und-binden?lang=en`);
  const h1 = page.locator('h1');
  assert.equal(await h1.textContent(), 'Finden und Binden');
  assert.equal(await h1.getAttribute('lang'), 'de', 'German, and said to be German inside an English page');

  await page.goto(`${server.base}/e/finden-und-binden?lang=ar`);
  assert.equal(await h1.textContent(), 'إيجاد الكفاءات والاحتفاظ بها');
  assert.equal(await h1.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  const group = page.locator('strong', { hasText: 'مجموعة الاعتراف' });
  assert.equal(await group.getAttribute('lang'), 'ar');
  assert.equal(await group.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  // Registering in Arabic with the Arabic option: stored as the option it stands for.
  await page.getByLabel('الاسم الأول').fill('سلمى');
  await page.getByLabel('اسم العائلة').fill('حداد');
  await page.getByLabel('البريد الإلكتروني').fill('salma@example.org');
  await page.locator('#f-organisation').fill('مركز الترحيب');
  await page.locator('#f-organisation_type').selectOption('migrant_organisation');
  await page.getByLabel('مجموعة الاعتراف').check();
  await page.getByLabel('مع لحم').check();
  await page.locator('#f-consent').check();
  await page.locator('#registration button[type="submit"]').click();
  await page.waitForURL(/\/t\/[A-Z2-7]{140}/);
  assert.match(await page.textContent('main'), /إيجاد الكفاءات والاحتفاظ بها/);
  assert.match(await page.textContent('main'), /مجموعة الاعتراف/);
  const list = await server.api('GET', '/api/v1/events/finden-und-binden/attendees');
  assert.equal(list.json.attendees[0].answers.q1, 'mit Fleisch');
  await page.close();
});
