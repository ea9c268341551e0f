// Texts in several languages, side by side: one field per language (Arabic right to left),
// the event's language required, the others marked while missing (guests then read the
// event's language there), and a count of what is missing per language.
import { t, h } from '../lib/page.js';
import { fmtLanguage } from './common.js';

export const LANGUAGES = ['de', 'en', 'ar'];
export const dirOf = (l) => (l === 'ar' ? 'rtl' : 'ltr');

// The API gives organisers each text as {de, en, ar}; a plain string is the event's language.
const asObject = (v, base) => (v && typeof v === 'object' && !Array.isArray(v) ? v : (v ? { [base]: v } : {}));

let ids = 0;

// name: the API field (title, label, options...); value: a string, {de, en, ar}, or for options
// (lines: true) arrays per language. Inputs are named `${name}.${lang}`, the API's error paths.
export function textsField(labelKey, name, value, { base = 'de', area = false, lines = false, rows = 2, maxlength } = {}) {
  const v = asObject(value, base);
  const group = h('fieldset', { class: 'langs', dataset: { texts: name, lines: lines ? '1' : '' } }, h('legend', {}, t(labelKey)));
  for (const l of LANGUAGES) {
    const id = `lt${++ids}`;
    const given = v[l] ?? '';
    const text = lines ? (Array.isArray(given) ? given : []).join('\n') : given;
    const attrs = { id, name: `${name}.${l}`, 'data-path': `${name}.${l}`, lang: l, dir: dirOf(l), dataset: { lang: l } };
    const input = area || lines ? h('textarea', { ...attrs, rows }, text) : h('input', { ...attrs, type: 'text', value: text, maxlength });
    group.append(h('div', { class: 'lang-field' },
      h('label', { for: id }, fmtLanguage(l), ' ', h('small', { class: 'missing', hidden: true }, t('editor.missing'))), input));
  }
  return group;
}

// The value to send: {de: "…", en: "…", ar: "…"}, or arrays of lines for options.
export function readTexts(root, name) {
  const group = root.querySelector(`fieldset[data-texts="${name}"]`);
  const out = {};
  if (!group) return out;
  for (const input of group.querySelectorAll('[data-lang]')) {
    const v = input.value.trim();
    out[input.dataset.lang] = group.dataset.lines ? v.split('\n').map((o) => o.trim()).filter(Boolean) : v;
  }
  return out;
}

// Marks each language field left empty where the event's language has a text, marks the
// event's own language as required, and says per language how many texts are missing.
export function markMissing(form, base, summary) {
  const missing = Object.fromEntries(LANGUAGES.map((l) => [l, 0]));
  for (const group of form.querySelectorAll('fieldset.langs')) {
    const inputs = [...group.querySelectorAll('[data-lang]')];
    const baseInput = inputs.find((i) => i.dataset.lang === base);
    const hasBase = baseInput && baseInput.value.trim() !== '';
    for (const input of inputs) {
      const empty = input.value.trim() === '';
      const isMissing = hasBase && empty && input.dataset.lang !== base;
      input.closest('.lang-field').querySelector('.missing').hidden = !isMissing;
      input.closest('.lang-field').classList.toggle('base', input.dataset.lang === base);
      if (isMissing) missing[input.dataset.lang] += 1;
    }
  }
  const parts = LANGUAGES.filter((l) => l !== base && missing[l] > 0)
    .map((l) => t('editor.missing_count', { language: fmtLanguage(l), n: missing[l] }));
  summary.textContent = parts.length ? parts.join(' · ') : t('editor.all_languages');
}
