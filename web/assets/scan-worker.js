// Decodes QR codes off the page's thread with jsQR (pinned from npm, served from our own
// assets), so the door page stays responsive while the camera runs.
importScripts('/assets/vendor/jsQR.js');

self.onmessage = (event) => {
  const { width, height, buffer, id } = event.data;
  const found = self.jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: 'dontInvert' });
  self.postMessage({ id, text: found ? found.data : null });
};
