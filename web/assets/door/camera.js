// The door's camera: the rear camera, frames decoded by the worker (or the browser's own
// detector); each code read goes to onCode, none while busy() (a verdict shows).
import { t, $ } from '../lib/page.js';

export function doorCamera(onCode, busy) {
  let stream = null;
  let worker = null;
  let detector = null;
  let frameBusy = false;
  let starting = false; // a start in progress (the automatic one, or a tap meanwhile)
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  async function startCamera() {
    if (stream || starting) return;
    starting = true;
    try { await openCamera(); } finally { starting = false; }
  }

  async function openCamera() {
    const msg = $('door-camera-msg');
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      msg.textContent = t('door.camera_https');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } }, audio: false });
    } catch (e) {
      msg.textContent = e.name === 'NotAllowedError' ? t('door.camera_denied')
        : e.name === 'NotFoundError' || e.name === 'OverconstrainedError' ? t('door.camera_missing')
        : t('door.camera_failed', { reason: e.message || e.name });
      return;
    }
    const video = $('door-video');
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => {});
    msg.textContent = t('door.camera_hint');
    $('door-camera').textContent = t('door.stop_camera');
    if ('BarcodeDetector' in window) {
      try {
        if ((await BarcodeDetector.getSupportedFormats()).includes('qr_code')) detector = new BarcodeDetector({ formats: ['qr_code'] });
      } catch { detector = null; }
    }
    if (!detector && !worker) {
      worker = new Worker('/assets/scan-worker.js');
      worker.onmessage = (e) => { frameBusy = false; if (e.data.text) onCode(e.data.text); };
    }
    requestAnimationFrame(tick);
  }

  function stopCamera() {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    $('door-video').hidden = true;
    $('door-camera').textContent = t('door.start_camera');
  }

  async function tick() {
    if (!stream) return;
    const video = $('door-video');
    if (!frameBusy && !busy() && video.readyState >= 2 && video.videoWidth > 0) {
      frameBusy = true;
      if (detector) {
        try {
          const codes = await detector.detect(video);
          if (codes.length) onCode(codes[0].rawValue);
        } catch { /* the next frame */ }
        frameBusy = false;
      } else {
        const scale = Math.min(1, 800 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        worker.postMessage({ width: img.width, height: img.height, buffer: img.data.buffer }, [img.data.buffer]);
      }
    }
    requestAnimationFrame(tick);
  }

  // The camera starts by itself once the browser has the permission for it, after pairing and
  // after every reload, unless staff stopped it here.
  const CAMERA_KEY = 'einlass.camera';
  $('door-camera').addEventListener('click', () => {
    localStorage.setItem(CAMERA_KEY, stream ? 'off' : 'on');
    return stream ? stopCamera() : startCamera();
  });
  // data-camera on the button: "checking" until that is decided, then "on" or "off".
  async function startCameraIfAllowed() {
    const button = $('door-camera');
    button.dataset.camera = 'checking';
    try {
      if (!stream && localStorage.getItem(CAMERA_KEY) !== 'off' &&
          (await navigator.permissions.query({ name: 'camera' })).state === 'granted') await startCamera();
    } catch { /* no Permissions API for the camera: staff press the button */ }
    button.dataset.camera = stream ? 'on' : 'off';
  }

  return { stop: stopCamera, startIfAllowed: startCameraIfAllowed };
}
