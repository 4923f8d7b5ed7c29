// Streams held back by the browser's connection limit. Over HTTP/1.1 a browser opens at most six
// connections to one origin and every open stream holds one, so a seventh request waits with no
// error and no progress. This file watches every EventSource and fetch the page opens (it wraps
// both before imchat.js loads) and, when one has sent its request and had no answer for
// QUEUED_MS while other streams to the same origin are open (in this tab, or in other imchat tabs,
// which say how many they hold over a BroadcastChannel), shows a notice with a link to the
// deployment notes instead of waiting in silence. Over HTTP/2 every stream shares one
// connection, nothing waits and the notice never shows. Idle (nothing waiting or open), it runs
// no timer.
'use strict';
(function () {
  var QUEUED_MS = 3000;
  var CHECK_MS = 1000;
  var PEER_TTL_MS = 5000;  // another tab's counts are forgotten when it stops repeating them
  var tabId = Math.random().toString(36).slice(2);
  var streams = new Set();  // {origin, since, open} per live stream of this tab
  var peers = new Map();    // tab id -> {counts: {origin: open streams}, until}
  var channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('imchat-streams') : null;
  var timer = 0;
  var notice = null;
  var lastQueued = 0;

  function originOf(url) {
    try { return new URL(String(url), location.href).origin; } catch (e) { return location.origin; }
  }

  function openCounts() {
    var counts = {};
    streams.forEach(function (s) { if (s.open) counts[s.origin] = (counts[s.origin] || 0) + 1; });
    return counts;
  }

  function tell() {
    if (channel) channel.postMessage({ tab: tabId, counts: openCounts() });
  }

  function changed() {
    tell();
    if (!timer && streams.size) timer = setInterval(check, CHECK_MS);
    check();
  }

  function begin(url) {
    var s = { origin: originOf(url), since: Date.now(), open: false };
    streams.add(s);
    changed();
    return s;
  }
  function answered(s) { if (!s.open && streams.has(s)) { s.open = true; changed(); } }
  function waitingAgain(s) { if (s.open) { s.open = false; s.since = Date.now(); changed(); } }
  function end(s) { if (streams.delete(s)) changed(); }

  // Streams waiting QUEUED_MS or more while others to their origin are open anywhere.
  function queuedCount() {
    var now = Date.now();
    var mine = openCounts();
    peers.forEach(function (p, id) { if (p.until < now) peers.delete(id); });
    var n = 0;
    streams.forEach(function (s) {
      if (s.open || now - s.since < QUEUED_MS) return;
      var others = mine[s.origin] || 0;
      peers.forEach(function (p) { others += p.counts[s.origin] || 0; });
      if (others > 0) n++;
    });
    return n;
  }

  function show(n) {
    if (!notice) {
      notice = document.createElement('div');
      notice.id = 'stream-queued';
      notice.setAttribute('role', 'status');
      notice.appendChild(document.createElement('span'));
      var link = document.createElement('a');
      link.href = 'DEPLOY.md';  // docs/DEPLOY.md, copied into the bundle
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = 'How to serve imchat over HTTP/2';
      notice.appendChild(link);
      document.body.appendChild(notice);
    }
    notice.firstChild.textContent = (n === 1 ? 'A reply is' : n + ' replies are') +
      ' waiting for a free connection: over HTTP/1.1 the browser opens at most six to this server,' +
      ' and streams open in this or other imchat tabs hold them all. Close a tab, or ';
    notice.hidden = false;
  }

  function check() {
    var n = queuedCount();
    if (n !== lastQueued) {
      lastQueued = n;
      if (n) show(n); else if (notice) notice.hidden = true;
    }
    if (!streams.size && timer) { clearInterval(timer); timer = 0; }
    else if (timer) tell();  // a heartbeat: the other tabs forget counts that stop coming
  }

  if (channel) {
    channel.onmessage = function (e) {
      var m = e.data || {};
      if (m.gone) peers.delete(m.tab);
      else if (m.tab && m.counts) peers.set(m.tab, { counts: m.counts, until: Date.now() + PEER_TTL_MS });
      if (m.ask) tell();
      check();
    };
    channel.postMessage({ tab: tabId, ask: true, counts: {} });
    addEventListener('pagehide', function () { channel.postMessage({ tab: tabId, gone: true }); });
  }

  var NativeEventSource = window.EventSource;
  if (NativeEventSource) {
    var Watched = function EventSource(url, init) {
      var source = new NativeEventSource(url, init);
      var s = begin(url);
      source.addEventListener('open', function () { answered(s); });
      source.addEventListener('message', function () { answered(s); });
      source.addEventListener('error', function () {
        // CONNECTING: it reconnects by itself (waiting again); CLOSED: it gave up.
        if (source.readyState === NativeEventSource.CLOSED) end(s); else waitingAgain(s);
      });
      var close = source.close;
      source.close = function () { end(s); return close.call(source); };
      return source;
    };
    Watched.prototype = NativeEventSource.prototype;
    Watched.CONNECTING = 0;
    Watched.OPEN = 1;
    Watched.CLOSED = 2;
    window.EventSource = Watched;
  }

  // A fetch waits for a connection before its request goes out: it counts from the call to its
  // response's headers (a streamed body is not followed further).
  var nativeFetch = window.fetch;
  if (nativeFetch) {
    window.fetch = function (input) {
      var s = begin(input && input.url ? input.url : input);
      var reply = nativeFetch.apply(this, arguments);
      reply.then(function () { end(s); }, function () { end(s); });
      return reply;
    };
  }

  var hooks = window.imchat = window.imchat || {};
  hooks.queuedStreams = function () { return queuedCount(); };
})();
