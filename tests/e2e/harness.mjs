// The real einlass binary on 127.0.0.1 (port 0) with a fresh SQLite file, and Debian's
// Chromium driven by playwright-core. Used by every browser test.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const BIN = process.env.EINLASS_BIN || resolve('build/server/einlass');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'einlass-e2e-'));
  const db = join(dir, 'einlass.db');
  execFileSync(BIN, ['user', 'add', '--db', db, '--email', 'orga@example.org', '--role', 'organiser'],
    { input: 'a long test password\n', stdio: ['pipe', 'pipe', 'ignore'] });
  const token = execFileSync(BIN, ['token', 'create', '--db', db, '--email', 'orga@example.org']).toString().trim();
  let proc;
  let listen = '127.0.0.1:0';
  const launch = async () => {
    proc = spawn(BIN, ['serve', '--db', db, '--listen', listen, '--quiet', '--rate-limit', '0', ...extraArgs],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 20000);
      proc.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (https?:\/\/127\.0\.0\.1:\d+)/);
        if (m) { clearTimeout(timer); ok(m[1]); }
      });
      proc.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
    });
  };
  const base = await launch();
  listen = new URL(base).host; // a restart comes back on the same port
  const halt = async () => {
    proc.kill('SIGTERM');
    await new Promise((ok) => (proc.exitCode !== null ? ok() : proc.on('exit', ok)));
  };
  const api = async (method, path, body, headers = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  const stop = async () => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  // halt() stops the server as a network outage would; resume() starts it again, same data, same port.
  return { base, db, dir, token, api, stop, halt, resume: launch };
}

export async function launchBrowser(extraArgs = []) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'einlass-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 390, height: 844 }, // a phone
    locale: 'de-DE',
  });
  return {
    context,
    close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

// axe-core (pinned in package.json) run in the page: the violations, as "rule: target" lines.
const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${v.help})`));
}

export function inDays(days, time) {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

// Decodes the QR code in a PNG with zbarimg (an independent decoder).
export function decodeQr(png, dir) {
  const file = join(dir, `qr-${Date.now()}-${Math.random().toString(36).slice(2)}.png`);
  writeFileSync(file, png);
  return execFileSync('zbarimg', ['--quiet', '--raw', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
}

export const forumEvent = (slug) => ({
  slug,
  title: 'Fachforum Teilhabe am Arbeitsmarkt',
  description: 'Drei Arbeitsgruppen entwickeln Arbeitspläne.',
  starts_at: inDays(20, '09:30'),
  ends_at: inDays(20, '15:00'),
  timezone: 'Europe/Berlin',
  venue: 'Rathaus Dessau-Roßlau',
  address: 'Zerbster Straße 4\n06844 Dessau-Roßlau',
  capacity: 120,
  sessions: [
    { title: 'AG Berufseinstieg', capacity: 40 },
    { title: 'AG Berufsorientierung und Ausbildung', capacity: 40 },
  ],
});
