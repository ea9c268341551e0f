// Registration form, enhanced: checks fields before sending, sends once, shows the
// server's errors next to their fields, keeps what was typed across a lost connection
// or a reload, and opens the ticket when done. Without this script the form still
// works as a plain HTML form post.

import { t, texts } from './lib/page.js';

// "Send my ticket again": offered below the form (and while registration is closed), and right
// at an already_registered answer.
const resend = document.getElementById('resend');
const resendForm = document.getElementById('resend-form');
const offerResend = (email) => {
  resendForm.elements.email.value = email;
  resend.scrollIntoView({ block: 'center' });
  resendForm.elements.email.focus();
};
if (resend) {
  resend.hidden = false;
  const answerLine = resendForm.querySelector('.resend-answer');
  const error = document.getElementById('resend-error');
  resendForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = resendForm.elements.email.value.trim();
    error.hidden = true;
    answerLine.textContent = '';
    try {
      const { slug, lang } = resendForm.dataset;
      const res = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/tickets/resend`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': lang }, body: JSON.stringify({ email }),
      });
      const answer = await res.json().catch(() => ({}));
      if (res.status === 202) answerLine.textContent = answer.message;
      else { error.textContent = answer.error?.fields?.[0]?.message || answer.error?.message || t('form.network_error'); error.hidden = false; }
    } catch {
      error.textContent = t('form.network_error');
      error.hidden = false;
    }
  });
}

const form = document.getElementById('registration');

if (form) {
  const slug = form.dataset.slug;
  const lang = form.dataset.lang;
  const draftKey = `einlass-draft-${slug}`;
  const summary = document.getElementById('error-summary');
  const button = form.querySelector('button[type="submit"]');
  const networkError = form.querySelector('.network-error');

  // What was typed survives a reload or a dropped connection (this tab only), for a while: on
  // a shared tablet the next person must not find someone else's form. Consent is never kept:
  // each person gives their own.
  const draftMinutes = 15;
  const saveDraft = () => {
    const entries = [];
    for (const [k, v] of new FormData(form)) if (k !== 'lang' && k !== 'consent') entries.push([k, v]);
    sessionStorage.setItem(draftKey, JSON.stringify({ at: Date.now(), entries }));
  };
  const restoreDraft = () => {
    if (form.querySelector('[aria-invalid="true"]')) return; // the server already filled the form
    let draft;
    try { draft = JSON.parse(sessionStorage.getItem(draftKey) || 'null'); } catch { draft = null; }
    if (!draft || !Array.isArray(draft.entries) || Date.now() - draft.at > draftMinutes * 60000) {
      sessionStorage.removeItem(draftKey);
      return;
    }
    const { entries } = draft;
    for (const [k, v] of entries) {
      for (const el of form.elements) {
        if (el.name !== k) continue;
        if (el.type === 'checkbox' || el.type === 'radio') { if (el.value === v && !el.disabled) el.checked = true; }
        else if (!el.value) el.value = v;
      }
    }
  };
  restoreDraft();
  form.addEventListener('input', saveDraft);
  form.addEventListener('change', saveDraft);

  const errorLine = (name) => document.getElementById(`e-${name}`);
  const fieldOf = (name) => document.getElementById(`f-${name}`);

  const clearErrors = () => {
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.field-error')) { el.textContent = ''; el.hidden = true; }
    summary.hidden = true;
    summary.querySelector('ul').replaceChildren();
    networkError.hidden = true;
  };

  // The field's name as the person reads it: its label or legend; a checkbox's short name
  // (consent: "Einwilligung", not its whole sentence) from the texts.
  const labelFor = (name) => {
    const f = fieldOf(name);
    if (f && f.type === 'checkbox' && texts[`field.${name}`]) return t(`field.${name}`);
    const label = f && (f.tagName === 'FIELDSET' ? f.querySelector('legend') : form.querySelector(`label[for="f-${name}"]`) || f.closest('label'));
    return label ? label.textContent.replace(/\s*\*\s*$/, '').replace(/\s*\(.*\)\s*$/, '').trim() : t('form.this_field');
  };

  // errors: [{field, message}]; a message without a field goes to the summary only.
  const showErrors = (errors) => {
    const list = summary.querySelector('ul');
    for (const { field, message } of errors) {
      const li = document.createElement('li');
      if (field && fieldOf(field)) {
        fieldOf(field).setAttribute('aria-invalid', 'true');
        const line = errorLine(field);
        if (line) { line.textContent = message; line.hidden = false; }
        const a = document.createElement('a');
        a.href = `#f-${field}`;
        a.textContent = `${labelFor(field)}: ${message}`;
        li.append(a);
      } else {
        li.textContent = message;
      }
      list.append(li);
    }
    summary.hidden = errors.length === 0;
    if (errors.length) summary.focus();
  };

  // The checks the server makes first, so a phone user hears at once what is missing.
  const localErrors = () => {
    const errors = [];
    for (const el of form.querySelectorAll('input[required], select[required], textarea[required]')) {
      const name = el.name;
      if (el.type === 'checkbox') {
        if (!el.checked) errors.push({ field: name, message: t(name === 'consent' ? 'reason.consent_required' : 'reason.required') });
      } else if (!el.value.trim()) {
        errors.push({ field: name, message: t('reason.required') });
      } else if (el.type === 'email' && !/^[^\s@<>()",;\\]+@[^\s@<>()",;\\]+\.[^\s@<>()",;\\]+$/.test(el.value.trim())) {
        errors.push({ field: name, message: t('reason.invalid_email') });
      }
    }
    // A required choice: one of its options (radios), or at least one (checkboxes).
    for (const set of form.querySelectorAll('fieldset[data-required]')) {
      const name = set.id.slice(2);
      if (!set.querySelector('input:checked')) errors.push({ field: name, message: t('reason.required') });
    }
    const overlap = overlapping();
    if (overlap) errors.push({ field: 'sessions', message: t('reason.sessions_overlap') });
    return errors;
  };

  // Two chosen sessions at the same time: said when the second is ticked, not after sending.
  const sessionBoxes = [...form.querySelectorAll('input[name="sessions"][data-starts]')];
  const overlapping = () => {
    const chosen = sessionBoxes.filter((b) => b.checked);
    return chosen.some((a, i) => chosen.slice(i + 1).some((b) => +a.dataset.starts < +b.dataset.ends && +b.dataset.starts < +a.dataset.ends));
  };
  for (const box of sessionBoxes) {
    box.addEventListener('change', () => {
      const line = errorLine('sessions');
      const clash = overlapping();
      if (clash) fieldOf('sessions').setAttribute('aria-invalid', 'true');
      else fieldOf('sessions').removeAttribute('aria-invalid');
      if (line) { line.textContent = clash ? t('reason.sessions_overlap') : ''; line.hidden = !clash; }
    });
  }

  const payload = () => {
    const body = { sessions: [], answers: {}, consent: false, language: lang };
    for (const el of form.elements) {
      if (!el.name || el.disabled) continue;
      if (el.name === 'sessions') { if (el.checked) body.sessions.push(Number(el.value)); continue; }
      if (el.name === 'consent') { body.consent = el.checked; continue; }
      if (el.name.startsWith('answers.')) {
        const key = el.name.slice(8);
        if (el.type === 'checkbox' && el.closest('fieldset')) { // multiple choice
          body.answers[key] ||= [];
          if (el.checked) body.answers[key].push(el.value);
        } else if (el.type === 'checkbox') body.answers[key] = el.checked;
        else if (el.type === 'radio') { if (el.checked) body.answers[key] = el.value; }
        else body.answers[key] = el.value;
        continue;
      }
      if (['first_name', 'last_name', 'email', 'organisation', 'organisation_type', 'position', 'phone'].includes(el.name))
        body[el.name] = el.value;
    }
    return body;
  };

  let sending = false;
  form.addEventListener('submit', async (event) => {
    if (event.submitter && event.submitter.name === 'switch_lang') { saveDraft(); return; } // plain post keeps values
    event.preventDefault();
    if (sending) return;
    clearErrors();
    const errors = localErrors();
    if (errors.length) { showErrors(errors); return; }
    sending = true;
    const label = button.textContent;
    button.disabled = true;
    button.textContent = button.dataset.busy;
    try {
      const res = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/registrations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
        body: JSON.stringify(payload()),
      });
      const answer = await res.json().catch(() => ({}));
      if (res.status === 201 && answer.ticket) {
        sessionStorage.removeItem(draftKey);
        location.assign(`/t/${answer.ticket.code}?lang=${lang}`);
        return;
      }
      const err = answer.error || {};
      const list = (err.fields || []).map((f) => ({ field: f.field, message: f.message }));
      showErrors(list.length ? list : [{ field: err.field, message: err.message || t('form.network_error') }]);
      if (err.code === 'already_registered') offerResend(form.elements.email.value);
    } catch {
      networkError.hidden = false;
      networkError.focus?.();
    } finally {
      sending = false;
      button.disabled = false;
      button.textContent = label;
    }
  });
}
