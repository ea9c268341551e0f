// The door's sounds: a rising chime for yes, one mid tone for "already", a low buzz for no.
// Browsers allow audio only after a gesture, so the first tap or key unlocks it.

let audio = null;
const unlockAudio = () => {
  audio ??= new (window.AudioContext || window.webkitAudioContext)();
  if (audio.state === 'suspended') audio.resume();
};
document.addEventListener('pointerdown', unlockAudio, { once: false });
document.addEventListener('keydown', unlockAudio, { once: false });

export function beep(kind) {
  if (!audio) return;
  const tones = { ok: [[880, 0, 0.09], [1320, 0.1, 0.14]], warn: [[660, 0, 0.35]], error: [[180, 0, 0.5]], info: [[990, 0, 0.12]] }[kind];
  for (const [freq, start, length] of tones) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = kind === 'error' ? 'square' : 'sine';
    osc.frequency.value = freq;
    gain.gain.value = 0.25;
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length);
  }
}
