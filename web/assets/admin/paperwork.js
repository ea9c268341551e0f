// An event's paperwork in the editor: certificates for those who came (on or off, their text
// per language with its placeholders, who signs) and the feedback form the thank-you mail
// links to; beside the form, the signature and the funders' logos the documents carry.
import { t, h } from '../lib/page.js';
import { render } from '../admin.js';
import { enc, imageForm, labelled } from './common.js';
import { readTexts, textsField } from './languages.js';

const IMAGES = ['signature', 'funder-1', 'funder-2', 'funder-3'];

export function paperworkFields(e, base) {
  const c = e.certificate || {};
  const input = (name, path, value) => h('input', { type: 'text', name, 'data-path': path, value: value || '', maxlength: 200 });
  return [
    h('h2', {}, t('paperwork.heading')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'certificate_enabled', 'data-path': `certificate.enabled`, checked: !!c.enabled }), ' ', t('paperwork.certificates')),
    textsField('paperwork.text', `certificate.text`, c.text, { base, area: true, rows: 3 }),
    h('p', { class: 'hint' }, t('paperwork.text_hint')),
    h('div', { class: 'grid' },
      labelled('paperwork.signer', input('signer', `certificate.signer`, c.signer)),
      labelled('paperwork.signer_role', input('signer_role', `certificate.signer_role`, c.signer_role))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'feedback', 'data-path': 'feedback', checked: !!e.feedback }), ' ', t('paperwork.feedback')),
    h('p', { class: 'hint' }, t('paperwork.feedback_hint')),
  ];
}

// The part of the event's body these fields fill.
export function readPaperwork(form) {
  const v = (n) => form.elements[n].value.trim();
  return {
    certificate: { enabled: form.elements.certificate_enabled.checked, text: readTexts(form, `certificate.text`), signer: v('signer'), signer_role: v('signer_role') },
    feedback: form.elements.feedback.checked,
  };
}

// The signature under the certificates and up to three funders' logos (on certificates, the
// signature list and the report), each a PNG or SVG uploaded on its own.
export function imagesPanel(event) {
  const have = new Set(event.images || []);
  const base = `/api/v1/events/${enc(event.slug)}/images`;
  const shared = ['current', 'none', 'file', 'hint', 'upload', 'remove', 'saved', 'removed'];
  return h('section', { class: 'images' }, h('h2', {}, t('images.heading')), h('p', { class: 'hint' }, t('images.intro')),
    IMAGES.map((name) => imageForm({
      url: `${base}/${name}`,
      preview: have.has(name) ? `${base}/${name}` : null,
      accept: 'image/png,image/svg+xml',
      keys: { ...Object.fromEntries(shared.map((k) => [k, `images.${k}`])), heading: `images.${name}`, level: 'h3' },
      done: render,
      name,
    })));
}
