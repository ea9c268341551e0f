// Handheld scanners type like a keyboard: a burst of keys a few milliseconds apart, then
// Enter. Such a burst is a scan wherever the focus is (the entry/exit switch, a button, the
// search box with a half-typed name), and never text: what it typed into a field is taken out
// again. A person typing by hand (100 ms and more a key) is left alone.

const SCAN_AVG_MS = 50;    // a scanner types a key every few ms; people need 100 ms and more
const HAND_GAP_MS = 800;   // a code typed by hand, with the focus on nothing that takes text
const CODE_LENGTH = 140;
const TICKET = new RegExp(`^[A-Z2-7]{${CODE_LENGTH}}$`, 'i');

// The character a key stands for in a ticket code. The key's meaning in the tablet's layout
// where it is one of the code's characters; else the key's place on a US keyboard (a tablet
// set to Arabic types ش for the A key).
function codeChar(e) {
  if (/^[A-Za-z2-7]$/.test(e.key)) return e.key;
  const m = /^(?:Key([A-Z])|Digit([2-7]))$/.exec(e.code || '');
  if (m) return m[1] ? (e.shiftKey ? m[1] : m[1].toLowerCase()) : m[2];
  return e.key.length === 1 ? e.key : '';
}

const takesText = (el) => el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && ['text', 'search', 'email', 'tel', 'url', ''].includes(el.type));

// Calls onScan(text) for each scan; `paused()` true while a dialog takes the keyboard. The
// last 140 keys before Enter are a scan when they form a ticket code typed at scanner speed on
// average (a busy tablet may hold single keys back, so no one gap decides).
export function listenForScanner(onScan, paused = () => false) {
  let keys = [];    // { ch, at, before }: the keys typed into the same place, oldest first
  let place = null; // the field they went into (null: none)
  document.addEventListener('keydown', (e) => {
    if (paused() || e.ctrlKey || e.altKey || e.metaKey) return;
    const now = performance.now();
    const field = takesText(e.target) ? e.target : null;
    if (field !== place || (keys.length && now - keys[keys.length - 1].at > HAND_GAP_MS)) {
      keys = [];
      place = field;
    }
    if (e.key === 'Enter') {
      const tail = keys.slice(-CODE_LENGTH);
      const text = tail.map((k) => k.ch).join('');
      const scanned = tail.length === CODE_LENGTH && TICKET.test(text) &&
        (tail[tail.length - 1].at - tail[0].at) / (CODE_LENGTH - 1) <= SCAN_AVG_MS;
      const typed = !field && keys.length >= 8; // a code typed with no field focused
      const all = keys.map((k) => k.ch).join('');
      keys = [];
      if (!scanned && !typed) return;
      e.preventDefault();
      e.stopImmediatePropagation(); // not a search, nor a press of the focused button
      if (scanned && field) {
        field.value = tail[0].before; // what the scanner typed into the field goes again
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }
      onScan(scanned ? text : all);
      return;
    }
    const ch = codeChar(e);
    if (!ch) return;
    keys.push({ ch, at: now, before: field ? field.value : '' });
    if (keys.length > 4 * CODE_LENGTH) keys.splice(0, keys.length - 2 * CODE_LENGTH);
  }, true);
}
