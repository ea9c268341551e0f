// Einlass on another website: an organisation's upcoming events, in a frame that grows to fit.
// Paste where the list belongs (the workspace shows this line with the right address):
//   <script src="https://HOST/assets/embed.js" data-organisation="SLUG" data-lang="de" async></script>
// A plain script, not a module, so that any page can load it.
(function () {
  var me = document.currentScript;
  if (!me || !me.src) return;
  var origin = new URL(me.src).origin;
  var org = me.getAttribute('data-organisation') || '';
  var lang = me.getAttribute('data-lang') || 'de';
  var titles = { de: 'Veranstaltungen', en: 'Events', ar: 'الفعاليات' };
  var frame = document.createElement('iframe');
  frame.src = origin + '/o/' + encodeURIComponent(org) + '/embed?lang=' + encodeURIComponent(lang);
  frame.title = me.getAttribute('data-title') || titles[lang] || titles.de;
  frame.style.width = '100%';
  frame.style.border = '0';
  frame.height = '400';
  me.parentNode.insertBefore(frame, me.nextSibling);
  window.addEventListener('message', function (ev) {
    if (ev.source !== frame.contentWindow || ev.origin !== origin) return;
    if (ev.data && ev.data.einlass === 'height' && ev.data.value > 0) frame.height = String(Math.ceil(ev.data.value));
  });
})();
