// Pairs this tablet: exchanges the one-time code for a device token, keeps the token in
// this browser, and opens the door page.
import { t } from './lib/page.js';

const button = document.getElementById('pair-button');
const status = document.getElementById('pair-status');

button?.addEventListener('click', async () => {
  button.disabled = true;
  try {
    const res = await fetch('/api/v1/devices/pair', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': document.documentElement.lang },
      body: JSON.stringify({ code: button.dataset.code }),
    });
    if (res.status !== 200) {
      status.textContent = t('pair.invalid');
      return;
    }
    const answer = await res.json();
    localStorage.setItem('einlass.device', JSON.stringify({ token: answer.token, device: answer.device.id }));
    localStorage.removeItem('einlass.offline'); // a list from an earlier pairing is not this door's
    localStorage.removeItem('einlass.info');
    status.textContent = t('pair.done');
    location.replace(`/checkin?lang=${document.documentElement.lang}`);
  } catch (e) {
    status.textContent = String(e);
    button.disabled = false;
  }
});
