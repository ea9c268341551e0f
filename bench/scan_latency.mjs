// Scan to screen in the real browser: Chromium's fake camera plays a file in which 20
// tickets appear in turn (1.2 s each, 1 s of white between them). The page's own video
// frames tell when a QR code first appears; the verdict's appearance ends the measurement.
//   node bench/scan_latency.mjs        (after a build; prints median and p95)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, forumEvent } from '../tests/e2e/harness.mjs';

const TICKETS = 20;
const server = await startServer();
await server.api('POST', '/api/v1/events', { ...forumEvent('latenz'), slug: 'latenz', capacity: 1000 });
const device = await server.api('POST', '/api/v1/events/latenz/devices', { name: 'Messung' });

const list = [];
const white = join(server.dir, 'white.png');
execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=white:s=480x480', '-frames:v', '1', white]);
for (let i = 0; i < TICKETS; i++) {
  const r = await server.api('POST', '/api/v1/events/latenz/registrations', {
    first_name: `Person${i}`, last_name: 'Messung', email: `m${i}@example.org`, organisation: 'Bench',
    organisation_type: 'other', consent: true,
  });
  const png = join(server.dir, `t${i}.png`);
  writeFileSync(png, Buffer.from(await (await fetch(`${server.base}/api/v1/tickets/${r.json.ticket.code}.png`)).arrayBuffer()));
  list.push(`file '${png}'`, 'duration 1.2', `file '${white}'`, 'duration 1.0');
}
list.push(`file '${white}'`);
const concat = join(server.dir, 'list.txt');
writeFileSync(concat, list.join('\n') + '\n');
const y4m = join(server.dir, 'tickets.y4m');
execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', concat, '-vf',
  'scale=480:480:flags=neighbor,pad=640:480:80:0:white,format=yuv420p', '-r', '10', '-f', 'yuv4mpegpipe', y4m]);

const browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${y4m}`]);
const page = await browser.context.newPage();
await page.setViewportSize({ width: 1024, height: 768 });
await page.goto(`${server.base}/checkin?lang=de`);
await page.evaluate((t) => localStorage.setItem('einlass.device', JSON.stringify({ token: t })), device.json.token);
await page.goto(`${server.base}/checkin?lang=de`);
await page.locator('#door-counter').filter({ hasText: 'eingecheckt' }).waitFor();
await page.getByRole('button', { name: 'Kamera starten' }).click();
await page.waitForFunction(() => document.getElementById('door-video').readyState >= 2);
await page.evaluate(() => {
  const video = document.getElementById('door-video');
  const c = document.createElement('canvas');
  c.width = 24; c.height = 24;
  const g = c.getContext('2d', { willReadFrequently: true });
  window.__appear = [];
  window.__verdicts = [];
  let blank = true;
  const onFrame = (now) => {
    g.drawImage(video, 0, 0, 24, 24);
    const d = g.getImageData(0, 0, 24, 24).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 100) dark++;
    const isBlank = dark < 8;
    if (blank && !isBlank) window.__appear.push(now);
    blank = isBlank;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const v = document.getElementById('verdict');
  new MutationObserver(() => { if (!v.hidden) window.__verdicts.push({ t: performance.now(), r: v.dataset.result }); })
    .observe(v, { attributes: true, attributeFilter: ['hidden', 'data-result'] });
});
// One pass of the file and a little more (the file loops; a second pass would say "already").
await page.waitForTimeout(TICKETS * 2200 + 3000);
const { appear, verdicts } = await page.evaluate(() => ({ appear: window.__appear, verdicts: window.__verdicts }));
const latencies = [];
for (let i = 0; i < appear.length; i++) {
  const next = appear[i + 1] ?? Infinity;
  const v = verdicts.find((x) => x.t >= appear[i] && x.t < next && x.r === 'ok');
  if (v) latencies.push(v.t - appear[i]);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * (latencies.length - 1)))];
const admitted = execFileSync('sqlite3', [server.db, 'SELECT count(*) FROM attendance']).toString().trim();
console.log(`scan to screen: ${latencies.length} scans of ${appear.length} QR appearances, ${admitted} admitted`);
console.log(`median ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, min ${latencies[0].toFixed(0)} ms, max ${latencies.at(-1).toFixed(0)} ms`);
await browser.close();
await server.stop();
