// Handheld scanners type like a keyboard: a burst of keys a few milliseconds apart, then
// Enter. Such a burst is a scan wherever the focus is (the entry/exit switch, a button, the
// search box with a half-typed name), and never text: what it typed into a field is taken out
// again. A person typing by hand (keys 50 ms and more apart) is left alone.

const BURST_GAP_MS = 50;   // a scanner types a key every few ms; people need 80 ms and more
const HAND_GAP_MS = 800;   // a code typed by hand, with the focus on nothing that takes text
const TICKET = /^[A-Z2-7]{140}$/i;

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

// Calls onScan(text) for each scan; `paused()` true while a dialog takes the keyboard.
export function listenForScanner(onScan, paused = () => false) {
  let run = null;   // the keys typed fast one after another: { text, last, field, before }
  let hand = null;  // keys typed by hand with no field focused: { text, last }
  document.addEventListener('keydown', (e) => {
    if (paused() || e.ctrlKey || e.altKey || e.metaKey) return;
    const now = performance.now();
    const field = takesText(e.target) ? e.target : null;
    if (e.key === 'Enter') {
      const r = run;
      const h = hand;
      run = null;
      hand = null;
      const scanned = r && r.field === field && now - r.last <= 4 * BURST_GAP_MS && TICKET.test(r.text);
      const typed = !field && h && now - h.last <= HAND_GAP_MS && h.text.length >= 8;
      if (!scanned && !typed) return;
      e.preventDefault();
      e.stopImmediatePropagation(); // not a search, nor a press of the focused button
      if (scanned && field) {
        field.value = r.before; // what the scanner typed into the field goes again
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }
      onScan(scanned ? r.text : h.text);
      return;
    }
    const ch = codeChar(e);
    if (!ch) return;
    if (!run || now - run.last > BURST_GAP_MS || run.field !== field) {
      run = { text: '', last: now, field, before: field ? field.value : '' };
    }
    run.text += ch;
    run.last = now;
    if (!field) {
      if (!hand || now - hand.last > HAND_GAP_MS) hand = { text: '', last: now };
      hand.text += ch;
      hand.last = now;
    } else {
      hand = null;
    }
  }, true);
}
