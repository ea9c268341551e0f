// What guests get, in each language, before they get it: the event page (a new tab) and each
// kind of mail with a sample name, shown in a sandboxed frame (no script, no links followed).
import { t, h } from '../lib/page.js';
import { api, enc, flash, fmtLanguage } from './common.js';
import { LANGUAGES, dirOf } from './languages.js';

const KINDS = ['ticket', 'confirm', 'waitlisted', 'promoted', 'changed', 'reminder', 'cancelled', 'thanks'];

export function previews(event) {
  const frame = h('iframe', { sandbox: '', title: t('preview.mail_frame'), class: 'mail-preview', hidden: true });
  const subject = h('p', { class: 'mail-subject', hidden: true });
  const kind = h('select', { 'aria-label': t('preview.kind') }, KINDS.map((k) => h('option', { value: k }, t(`mailkind.${k}`))));
  const show = async (l) => {
    try {
      const m = await api('GET', `/api/v1/events/${enc(event.slug)}/mail-preview?kind=${enc(kind.value)}&lang=${l}`);
      subject.replaceChildren(h('strong', {}, t('preview.subject')), ' ', h('span', { lang: l, dir: dirOf(l) }, m.subject));
      frame.srcdoc = m.html;
      frame.hidden = false;
      subject.hidden = false;
    } catch (err) {
      flash(err.message, 'error');
    }
  };
  return h('section', { class: 'previews', 'aria-labelledby': 'preview-heading' },
    h('h2', { id: 'preview-heading' }, t('preview.heading')),
    h('p', {}, t('preview.page'), ' ', ...LANGUAGES.flatMap((l) => [
      h('a', { href: `/e/${enc(event.slug)}?lang=${l}`, target: '_blank', rel: 'noopener', 'data-preview-page': l }, fmtLanguage(l)), ' '])),
    h('p', { class: 'actions' }, kind, ' ', ...LANGUAGES.flatMap((l) => [
      h('button', { type: 'button', 'data-preview-mail': l, onclick: () => show(l) }, t('preview.mail_in', { language: fmtLanguage(l) })), ' '])),
    subject, frame);
}
