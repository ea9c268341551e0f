// Who gets in, in a browser: an organiser cannot take over another account by invitation (the
// review's critical finding), and an admin disables an account whose open session then ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, BIN } from './harness.mjs';

let server;
let organiser;
let admin;

function addUser(email, role, password) {
  execFileSync(BIN, ['user', 'add', '--db', server.db, '--email', email, '--role', role],
    { input: `${password}\n`, stdio: ['pipe', 'pipe', 'ignore'] });
}

async function signIn(context, email, password) {
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(`${server.base}/admin/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${server.base}/admin`);
  return page;
}

before(async () => {
  server = await startServer();
  addUser('chefin@example.org', 'admin', 'the admins own password');
  organiser = await launchBrowser();
  admin = await launchBrowser();
});

after(async () => {
  await organiser?.close();
  await admin?.close();
  await server?.stop();
});

test('an invitation for an existing account is refused in the workspace', async () => {
  const page = await signIn(organiser.context, 'orga@example.org', 'a long test password');
  await page.goto(`${server.base}/admin/account`);
  await page.getByLabel('E-Mail-Adresse').fill('chefin@example.org');
  await page.getByRole('button', { name: 'Einladungslink erzeugen' }).click();
  await page.getByText('Für diese Adresse gibt es schon ein Konto').first().waitFor();
  assert.equal(await page.locator('code.secret').count(), 0, 'no invitation link');
});

test('an invitation made before the account existed cannot overwrite it', async () => {
  const r = await server.api('POST', '/api/v1/invitations', { email: 'spaeter@example.org' });
  assert.equal(r.status, 201);
  addUser('spaeter@example.org', 'organiser', 'the real owners password');
  const page = await organiser.context.newPage();
  await page.goto(r.json.url);
  await page.getByLabel('Neues Passwort').fill('attacker chosen password');
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  await page.getByRole('alert').filter({ hasText: 'schon ein Konto' }).waitFor();
  // The owner's password still opens the account, the attacker's does not.
  const fresh = await launchBrowser();
  try {
    const login = await fresh.context.newPage();
    await login.goto(`${server.base}/admin/login`);
    await login.getByLabel('E-Mail-Adresse').fill('spaeter@example.org');
    await login.getByLabel('Passwort').fill('attacker chosen password');
    await login.getByRole('button', { name: 'Anmelden' }).click();
    await login.getByRole('alert').filter({ hasText: 'stimmt nicht' }).waitFor();
    await signIn(fresh.context, 'spaeter@example.org', 'the real owners password');
  } finally {
    await fresh.close();
  }
});

test('an admin disables an account and its open session ends at once', async () => {
  const page = await signIn(admin.context, 'chefin@example.org', 'the admins own password');
  await page.goto(`${server.base}/admin/account`);
  const row = page.locator('tr[data-user="orga@example.org"]');
  await row.getByRole('button', { name: 'Sperren' }).click();
  await page.locator('tr[data-user="orga@example.org"]').getByText('Gesperrt seit').waitFor();
  // The organiser's tab, still open: the next call sends it to the sign-in form.
  const tab = organiser.context.pages()[0];
  await tab.goto(`${server.base}/admin`);
  await tab.waitForURL(/\/admin\/login/);
  // The last admin cannot disable herself; the reason is shown.
  await page.locator('tr[data-user="chefin@example.org"]').getByRole('button', { name: 'Sperren' }).click();
  await page.getByRole('alert').filter({ hasText: 'Mindestens eine' }).waitFor();
  await page.locator('tr[data-user="orga@example.org"]').getByRole('button', { name: 'Entsperren' }).click();
  await page.locator('tr[data-user="orga@example.org"]').getByText('Aktiv').waitFor();
});

test('a forgotten password: the link on the sign-in form, and the admin hands over a link', async () => {
  const fresh = await launchBrowser();
  try {
    const page = await fresh.context.newPage();
    await page.goto(`${server.base}/admin/login`);
    await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
    await page.getByLabel('E-Mail-Adresse').fill('orga@example.org');
    await page.getByRole('button', { name: 'Link senden' }).click();
    await page.getByRole('status').filter({ hasText: 'Wenn es zu dieser Adresse ein Konto gibt' }).waitFor();
  } finally {
    await fresh.close();
  }
  // No mail server here: the admin makes the link, and the organiser sets a password with it.
  const page = admin.context.pages().at(-1);
  await page.goto(`${server.base}/admin/account`);
  await page.locator('tr[data-user="orga@example.org"]').getByRole('button', { name: 'Passwort-Link' }).click();
  const link = await page.locator('code.secret').last().textContent();
  assert.match(link, /\/admin\/reset\/[A-Z2-7]+$/);
  const other = await launchBrowser();
  try {
    const reset = await other.context.newPage();
    await reset.goto(link);
    await reset.getByLabel('Neues Passwort').fill('a fresh password for orga');
    await reset.getByRole('button', { name: 'Passwort speichern und anmelden' }).click();
    await reset.waitForURL(`${server.base}/admin`);
    await reset.goto(`${server.base}/admin/account`);
    await reset.getByRole('heading', { name: 'Wo Sie angemeldet sind' }).waitFor();
    await reset.getByText('dieser Browser').waitFor();
  } finally {
    await other.close();
  }
});
