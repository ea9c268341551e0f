// What the door decides without the server: whether a ticket's signature is genuine (the
// event's Ed25519 key), and what the last list from the server says of it.

const OFFLINE_KEY = 'einlass.offline';

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let buffer = 0, bits = 0;
  for (const ch of s) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return null;
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) { out.push((buffer >> (bits - 8)) & 255); bits -= 8; }
  }
  return new Uint8Array(out);
}

// Whether `code` is a ticket signed by the event whose public key is `publicKey` (base32).
export async function genuineTicket(code, publicKey) {
  const raw = base32Decode(code);
  const key = publicKey && base32Decode(publicKey);
  if (!raw || raw.length !== 87 || raw[0] !== 1 || !key) return false;
  for (let i = 0; i < 6; i++) if (raw[1 + i] !== key[i]) return false;
  return ed25519Verify(raw.slice(23), raw.slice(0, 23), key);
}

// What a scanner may have typed for a code: upper-cased, then with Y and Z swapped (a scanner
// set to a US keyboard on a German tablet). The signature decides which reading is genuine;
// with none genuine, the first.
export function codeReadings(text) {
  const upper = text.toUpperCase();
  const swapped = upper.replace(/[YZ]/g, (c) => (c === 'Y' ? 'Z' : 'Y'));
  return swapped === upper ? [upper] : [upper, swapped];
}
export async function genuineReading(text, publicKey) {
  const readings = codeReadings(text);
  for (const r of readings) if (await genuineTicket(r, publicKey)) return r;
  return readings[0];
}

// The browser's own Ed25519 where it has one; else (older Safari and Chrome, or no WebCrypto at
// all off HTTPS) noble-ed25519, an audited pure-JS implementation pinned in package-lock.json and
// served from this server's own assets, with noble-hashes' SHA-512.
async function ed25519Verify(signature, message, key) {
  try {
    const k = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, k, signature, message);
  } catch {
    const [ed, { sha512 }] = await Promise.all([import('/assets/vendor/noble-ed25519.js'),
      import('/assets/vendor/noble-hashes/sha2.js')]);
    ed.hashes.sha512 = sha512;
    try { return ed.verify(signature, message, key); } catch { return false; }
  }
}

// The server's list of tickets this door would refuse now, or that are inside already, by the
// first 16 bytes of the SHA-256 of their code, plus the tickets admitted here while offline.
export const offlineState = () => JSON.parse(localStorage.getItem(OFFLINE_KEY) || '{"verdicts":{},"admitted":[]}');
export const saveOfflineState = (state) => localStorage.setItem(OFFLINE_KEY, JSON.stringify(state));
export const forgetOfflineState = () => localStorage.removeItem(OFFLINE_KEY);

async function codeHash(code) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code)));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// What the server would most likely answer to an entry scan of a genuine ticket, from the list.
export async function offlineVerdict(code) {
  const state = offlineState();
  const hash = await codeHash(code);
  if (state.admitted.includes(hash)) return 'already_checked_in';
  if (state.verdicts[hash]) return state.verdicts[hash];
  state.admitted.push(hash);
  saveOfflineState(state);
  return 'queued';
}
