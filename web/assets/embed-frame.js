// Inside the embeddable list (/o/{org}/embed): tells the page around it how tall the list is,
// so its frame fits without a scroll bar. Only a number leaves the frame. (The body's height,
// not the document's: that is never less than the frame it is in.)
const report = () => window.parent.postMessage({ einlass: 'height', value: Math.ceil(document.body.getBoundingClientRect().height) }, '*');
new ResizeObserver(report).observe(document.body);
report();
