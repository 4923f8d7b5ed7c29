// The DOM client of the browser benchmarks (bench/browser/run.mjs drives window.baseline):
// every token appends to the reply's markdown, which is rendered again with markdown-it,
// assigned to innerHTML, and laid out (reading offsetHeight forces the layout the browser would
// otherwise do before the next paint), then the transcript is kept scrolled to the bottom.
'use strict';
(function () {
  var md = window.markdownit({ html: false, linkify: true });
  var text = '';
  var reply, transcript;

  function render() {
    reply.innerHTML = md.render(text);
    transcript.scrollTop = transcript.scrollHeight; // follow the stream, as chat UIs do
    return reply.offsetHeight;
  }

  window.baseline = {
    load: function (initial) {
      reply = document.getElementById('reply');
      transcript = document.getElementById('transcript');
      text = initial;
      return render();
    },
    token: function (t) {
      text += t;
      return render();
    },
  };
})();
