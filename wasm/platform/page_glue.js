// Emscripten JS library: the browser side of wasm/platform, for what html5.h does not cover.
//
// The "text agent" is one hidden <textarea id="text-agent"> (shell/index.html) that keeps the
// keyboard focus while the page is active. Keys, typed text, IME composition and clipboard
// events all arrive there and go to ImGui through the imchat_platform_* exports; ImGui moves it
// to the text caret (imchat_page_set_ime) so the input method's candidate window appears there.

mergeInto(LibraryManager.library, {
  $imchatPage: {
    agent: null,
    composing: false,
    lastCommit: null,   // text committed by compositionend, in case an `input` repeats it
    lastKeyWas229: false,
  },

  $imchatCallWithString__deps: ['$stringToNewUTF8', 'free'],
  $imchatCallWithString: function(fn, text) {
    var p = stringToNewUTF8(text);
    try { return fn(p); } finally { _free(p); }
  },

  imchat_page_init__deps: ['$imchatPage', '$imchatCallWithString'],
  imchat_page_init: function() {
    var page = imchatPage;
    var canvas = document.getElementById('canvas');
    var agent = document.getElementById('text-agent');
    if (!agent) {
      agent = document.createElement('textarea');
      agent.id = 'text-agent';
      document.body.appendChild(agent);
    }
    page.agent = agent;
    // Out of the Tab order: the fields' twins (a11y_glue.js) are their places in it and hand
    // the focus to the agent, so that Tab walks the controls in the order the frame draws them.
    agent.tabIndex = -1;

    function modifiers(e) {
      return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
    }
    function sendKey(code, key, down, mods) {
      var c = stringToNewUTF8(code), k = stringToNewUTF8(key);
      try { _imchat_platform_key(c, k, down, mods); } finally { _free(c); _free(k); }
    }
    function sendText(text) { imchatCallWithString(_imchat_platform_text, text); }
    // Keys whose default action in a textarea we do not want (caret moves, newline, focus change
    // with Tab, Alt opening the menu bar); function keys stay with the browser.
    function isNamedKey(key) {
      return key.length > 1 && key !== 'Dead' && key !== 'Process' && key !== 'Unidentified' &&
             !/^F\d+$/.test(key);
    }

    agent.addEventListener('keydown', function(e) {
      page.lastKeyWas229 = e.keyCode === 229;
      // While composing, keys belong to the input method (Enter confirms the candidate).
      if (e.isComposing || e.keyCode === 229) return;
      page.lastCommit = null;
      var key = e.key || '';
      var shortcut = e.ctrlKey || e.metaKey;
      if (shortcut && (key === 'v' || key === 'V')) {
        // The `paste` event that follows carries the text and sends ImGui the paste.
        sendKey('', '', 1, modifiers(e));
        return;
      }
      sendKey(e.code || '', key, 1, modifiers(e));
      // Copy and cut must keep their default action: it fires the copy/cut events below.
      if (shortcut && /^[cCxX]$/.test(key)) return;
      if (isNamedKey(key)) e.preventDefault();
    });
    agent.addEventListener('keyup', function(e) {
      sendKey(e.code || '', e.key || '', 0, modifiers(e));
    });

    agent.addEventListener('compositionstart', function() {
      page.composing = true;
    });
    agent.addEventListener('compositionupdate', function(e) {
      imchatCallWithString(_imchat_platform_composition, e.data || '');
    });
    agent.addEventListener('compositionend', function(e) {
      page.composing = false;
      imchatCallWithString(_imchat_platform_composition, '');
      if (e.data) {
        sendText(e.data);
        page.lastCommit = e.data;
      }
      agent.value = '';
    });
    agent.addEventListener('input', function(e) {
      var type = e.inputType || '';
      if (e.isComposing || page.composing || type === 'insertCompositionText') return;
      if (type === 'insertFromComposition') {
        agent.value = '';
        return; // committed by compositionend already
      }
      // The field is emptied after every event, so its value is what was inserted since. Not
      // e.data: text with line breaks (dictation, an on-screen keyboard) is inserted whole and
      // then announced piece by piece, the breaks with null data. The Enter key never gets
      // here: its keydown is taken.
      var inserted = agent.value;
      if (/^insert/.test(type) || type === '') {
        if (page.lastCommit !== null && inserted === page.lastCommit) page.lastCommit = null;
        else if (inserted) sendText(inserted);
      } else if (type === 'deleteContentBackward' && page.lastKeyWas229) {
        // Android keyboards send Backspace as keyCode 229 plus this input event.
        sendKey('Backspace', 'Backspace', 1, 0);
        sendKey('Backspace', 'Backspace', 0, 0);
      }
      agent.value = '';
    });

    // Clipboard: the browser hands out text only in `paste` and takes it only in `copy`/`cut`.
    // Only events aimed at the app (the text agent, or the page itself) are taken over.
    function forApp(e) { return e.target === agent || e.target === document.body || e.target === document; }
    document.addEventListener('paste', function(e) {
      if (!forApp(e)) return;
      var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
      e.preventDefault();
      if (text) imchatCallWithString(_imchat_platform_paste, text);
    });
    function onCopy(e) {
      if (!forApp(e)) return;
      var p = _imchat_platform_copy(); // runs a frame so ImGui handles the queued Ctrl+C / Ctrl+X
      if (p && e.clipboardData) {
        e.clipboardData.setData('text/plain', UTF8ToString(p));
        e.preventDefault();
      }
    }
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);

    canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });

    // devicePixelRatio can change without a resize (zoom, moving to another monitor): watch a
    // resolution query for the current ratio and re-arm it for the new one after each change.
    (function watchPixelRatio() {
      var query = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
      function changed() {
        query.removeEventListener('change', changed);
        _imchat_platform_display_changed();
        watchPixelRatio();
      }
      query.addEventListener('change', changed);
    })();

    var hooks = window.imchat = window.imchat || {};
    hooks.frames = function() { return _imchat_platform_frames(); };
    hooks.renderStats = function() { return JSON.parse(UTF8ToString(_imchat_platform_stats_json())); };
    // Draws a frame now and returns its CPU time in ms (-1 when none could be drawn).
    hooks.drawFrame = function() { return _imchat_platform_draw_frame(); };
    // The same, drawn whole rather than only where it changed.
    hooks.redrawWhole = function() { return _imchat_platform_redraw_whole(); };
    hooks.activeText = function() {
      var p = _imchat_platform_active_text();
      return p ? UTF8ToString(p) : null;
    };
    hooks.ime = function() { return JSON.parse(UTF8ToString(_imchat_platform_ime_json())); };
    // Glyphs drawn by the browser so far, their batches and the atlas (platform/font_loader_browser).
    hooks.glyphStats = function() { return JSON.parse(UTF8ToString(_imchat_platform_glyph_stats_json())); };
    hooks.monoAdvances = function(text) {
      return JSON.parse(UTF8ToString(imchatCallWithString(_imchat_platform_mono_advances_json, text)));
    };
    // Draws text over everything (white on black) in face 0 UI, 1 mono, 2 bold, 3 italic.
    hooks.drawText = function(text, face, x, y, size) {
      var p = stringToNewUTF8(text || '');
      try { _imchat_platform_draw_test_text(p, face || 0, x, y, size || 16); } finally { _free(p); }
    };
    // The same through our cluster drawing (platform/cluster_raster), and its images held.
    hooks.drawClusters = function(text, face, x, y, size) {
      var p = stringToNewUTF8(text || '');
      try { _imchat_platform_draw_test_clusters(p, face || 0, x, y, size || 16); } finally { _free(p); }
    };
    hooks.clusterImages = function() { return _imchat_platform_cluster_images(); };

    agent.focus({preventScroll: true});
    return /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent) ? 1 : 0;
  },

  imchat_page_set_cursor: function(css) {
    document.getElementById('canvas').style.cursor = UTF8ToString(css);
  },

  imchat_page_set_ime__deps: ['$imchatPage'],
  imchat_page_set_ime: function(x, y, lineHeight, wantTextInput) {
    var agent = imchatPage.agent;
    if (!agent) return;
    agent.style.left = x + 'px';
    agent.style.top = y + 'px';
    agent.style.height = Math.max(lineHeight, 1) + 'px';
    // Touch devices raise their keyboard for a focused textarea unless inputmode is none.
    agent.inputMode = wantTextInput ? 'text' : 'none';
  },

  imchat_page_focus_text_agent__deps: ['$imchatPage'],
  imchat_page_focus_text_agent: function() {
    var agent = imchatPage.agent;
    if (agent && document.activeElement !== agent) agent.focus({preventScroll: true});
  },

  imchat_page_first_frame: function() {
    var hooks = window.imchat = window.imchat || {};
    hooks.firstFrameMs = performance.now();
    var status = document.getElementById('status');
    if (status) status.hidden = true;
    document.body.classList.add('ready');
  },

  imchat_page_clipboard_write: function(text) {
    // Fallback for copies outside a copy event; browsers may refuse without a user gesture.
    if (navigator.clipboard && navigator.clipboard.writeText)
      navigator.clipboard.writeText(UTF8ToString(text)).catch(function() {});
  },

  imchat_page_open_url: function(url) {
    var href = UTF8ToString(url);
    if (/^https?:\/\//i.test(href)) window.open(href, '_blank', 'noopener');
  },

  // The canvas's place and CSS size, kept by a ResizeObserver. Measuring them in every frame
  // (getBoundingClientRect) made the browser lay the page out synchronously inside the frame
  // whenever the DOM had changed: once a second while a reply streams (the ARIA mirror), which
  // at a 1 MB reply cost ~130 ms in that frame.
  imchat_page_canvas_box: function(out) {
    var box = Module['imchatCanvasBox'];
    if (!box) {
      var canvas = document.getElementById('canvas');
      var measure = function() {
        var rect = canvas.getBoundingClientRect();
        box.left = rect.left;
        box.top = rect.top;
        box.width = rect.width;
        box.height = rect.height;
      };
      box = Module['imchatCanvasBox'] = {};
      measure();
      new ResizeObserver(function() {
        measure();
        _imchat_platform_display_changed();
      }).observe(canvas);
    }
    HEAPF64[out >> 3] = box.left;
    HEAPF64[(out >> 3) + 1] = box.top;
    HEAPF64[(out >> 3) + 2] = box.width;
    HEAPF64[(out >> 3) + 3] = box.height;
  },

  imchat_page_fatal: function(message) {
    var text = UTF8ToString(message);
    if (Module['imchatShowError']) Module['imchatShowError'](text);
    else console.error(text);
  },
});
