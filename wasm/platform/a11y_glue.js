// Emscripten JS library: the accessibility DOM of wasm/platform/a11y_dom (read its header
// first). Everything here is built with createElement and text nodes: no string ever becomes
// markup, so nothing a model writes can become live HTML or script.

mergeInto(LibraryManager.library, {
  $imchatA11y: {
    twins: null,     // Map: twin id -> element
    stamp: 0,        // sync count, marks the twins seen in the last sync
    current: null,   // the mirror's last <article>: where blocks go
    place: null,     // the textbox twin of the field the text agent types into (its focus place)
    roles: ['button', 'option', 'listbox', 'dialog', 'radio', 'checkbox', 'slider', 'textbox'],
    // The text agent now types into the field of textbox twin `el`: it takes that field's name
    // and place in the focus order.
    setPlace: function(el) {
      var a = imchatA11y, agent = document.getElementById('text-agent');
      a.place = el;
      if (agent && agent.getAttribute('aria-label') !== el._name) agent.setAttribute('aria-label', el._name);
    },
    // Tab or Shift+Tab from the text agent: on from its field's twin, in the twins' order (the
    // frame's reading order). False at either end: the browser's own Tab then leaves the page.
    tabFromAgent: function(back) {
      var a = imchatA11y;
      if (!a.twins) return false;
      var list = [].slice.call(a.root('a11y-controls').querySelectorAll('.twin')).filter(function(el) {
        return el.tabIndex >= 0 && el._role !== 2 && el._role !== 3;
      });
      var at = a.place && a.place.isConnected ? list.indexOf(a.place) : -1;
      var next = at < 0 ? (back ? list[list.length - 1] : list[0]) : list[at + (back ? -1 : 1)];
      if (!next) return false;
      next.focus();
      return true;
    },
    root: function(id) {
      var el = document.getElementById(id);
      if (!el) {
        el = document.createElement('div');
        el.id = id;
        document.body.appendChild(el);
      }
      return el;
    },
    // The controls' root, with the one listener pair every twin shares.
    controls: function() {
      var a = imchatA11y;
      if (a.twins) return a.root('a11y-controls');
      a.twins = new Map();
      var root = a.root('a11y-controls');
      function activate(e, step) {
        var t = e.target.closest ? e.target.closest('.twin') : null;
        if (!t || t._role === 2 || t._role === 3 || (t._flags & 1)) return false;  // containers do nothing
        _imchat_a11y_activate(t._id, step || 0);
        return true;
      }
      root.addEventListener('click', function(e) { activate(e, 0); });
      // Buttons turn Enter and Space into a click by themselves; the others do not. A slider
      // steps with the arrow keys (a screen reader's increment and decrement send them too).
      root.addEventListener('keydown', function(e) {
        var role = e.target._role;
        var steps = {ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1};
        if (role === 6 && steps[e.key] && activate(e, steps[e.key])) e.preventDefault();
        else if ((e.key === 'Enter' || e.key === ' ') && (role === 1 || role === 4 || role === 5) && activate(e, 0)) e.preventDefault();
      });
      // A textbox twin is a place in the focus order, not an editor: its field takes the
      // keyboard and the text agent the focus, as a click on the field would do.
      root.addEventListener('focusin', function(e) {
        var t = e.target;
        if (t._role !== 7 || (t._flags & 1)) return;
        a.setPlace(t);
        _imchat_a11y_activate(t._id, 0);
        var agent = document.getElementById('text-agent');
        if (agent) agent.focus({preventScroll: true});
      });
      // Tab in the text agent moves the focus on from its field (its keydown would send it to
      // ImGui otherwise). Capture, so that the agent's own listener never sees it.
      document.addEventListener('keydown', function(e) {
        if (e.key !== 'Tab' || e.target.id !== 'text-agent' || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
        e.stopPropagation();
        if (a.tabFromAgent(e.shiftKey)) e.preventDefault();
      }, true);
      return root;
    },
    make: function(role) {
      var el = document.createElement(role === 0 ? 'button' : 'div');
      if (role === 0) el.type = 'button';
      else el.setAttribute('role', imchatA11y.roles[role]);
      if (role === 1 || role >= 4) el.tabIndex = 0;
      el.className = 'twin';
      el._role = role;
      return el;
    },
    // Markdown containers of the mirror: each knows its quote depth (_q) and list level (_l);
    // _c marks those that hold blocks (article, blockquote, li).
    add: function(parent, tag, q, l, holds) {
      var el = document.createElement(tag);
      el._q = q;
      el._l = l;
      el._c = holds;
      parent.appendChild(el);
      return el;
    },
    // The container a block at quote depth q and list level l goes into, after block `prev`.
    context: function(article, prev, q, l) {
      var a = imchatA11y, c = prev || article;
      while (c !== article && !(c._c && c._q <= q && c._l <= l)) c = c.parentNode;
      while (c._q < q) c = a.add(c, 'blockquote', c._q + 1, c._l, true);
      while (c._l < l) c = a.add(a.add(c, 'ul', c._q, c._l + 1, false), 'li', c._q, c._l + 1, true);
      return c;
    },
    // A run with the link bit (16) goes inside an <a> to the URL its style's high bits index in
    // `urls`; only an http: or https: URL makes one (href set as a property, never markup).
    appendRuns: function(el, text, runs, count, urls) {
      for (var i = 0; i < count; i++) {
        var r = (runs >> 2) + i * 3, begin = HEAPU32[r], end = HEAPU32[r + 1], style = HEAPU32[r + 2];
        var node = document.createTextNode(UTF8ToString(text + begin, end - begin));
        ['code', 'del', 'em', 'strong'].forEach(function(tag, bit) {
          if (style & (8 >> bit)) {
            var wrap = document.createElement(tag);
            wrap.appendChild(node);
            node = wrap;
          }
        });
        var url = (style & 16) && urls ? urls[style >>> 8] : '';
        if (url && /^https?:\/\//i.test(url)) {
          var link = document.createElement('a');
          link.href = url;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          link.tabIndex = -1;  // off screen: a screen reader reaches it, Tab stays on what is seen
          link.appendChild(node);
          node = link;
        }
        el.appendChild(node);
      }
    },
    urls: function(ptr, size) {
      if (!size) return null;
      var list = UTF8ToString(ptr, size).split('\x1e');
      list.pop();
      return list;
    },
    tableRows: function(table, first, text) {
      while (table.rows.length > first) table.deleteRow(-1);
      var rows = text.split('\x1e');
      rows.pop();
      rows.forEach(function(row) {
        var tr = table.insertRow(-1), header = table.rows.length === 1;
        row.split('\x1f').forEach(function(cell) {
          tr.appendChild(document.createElement(header ? 'th' : 'td')).textContent = cell;
        });
      });
    },
  },

  imchat_a11y_sync_twins__deps: ['$imchatA11y'],
  imchat_a11y_sync_twins: function(ptr, size) {
    var a = imchatA11y, root = a.controls(), stamp = ++a.stamp;
    var box = Module['imchatCanvasBox'] || {left: 0, top: 0};
    var records = UTF8ToString(ptr, size).split('\x1e');
    records.pop();
    var placed = [], last = new Map();  // element per record; last child placed per parent
    records.forEach(function(record) {
      var parts = record.split('\x1f'), f = parts[0].split(' '), name = parts[1], value = parts[2];
      var role = +f[1], flags = +f[2], el = a.twins.get(f[0]);
      if (!el || el._role !== role) {
        if (el) el.remove();
        el = a.make(role);
        el._id = +f[0];
        a.twins.set(f[0], el);
      }
      el._seen = stamp;
      if (el._name !== name) {
        el._name = name;
        if (role < 2 || role === 4 || role === 5) el.textContent = name;  // named by their content
        else el.setAttribute('aria-label', name);
      }
      if (el._value !== value) {
        el._value = value;
        if (role === 7) el.textContent = value;
        if (role === 6) el.setAttribute('aria-valuetext', value);
      }
      if (role === 6 && el._now !== f[8]) {
        el._now = f[8];
        el.setAttribute('aria-valuenow', f[8]);
        el.setAttribute('aria-valuemin', f[9]);
        el.setAttribute('aria-valuemax', f[10]);
      }
      if (role === 7 && (flags & 4)) a.setPlace(el);
      var rect = f.slice(4, 8).join(' ');
      if (el._rect !== rect) {
        el._rect = rect;
        el.style.left = (box.left + +f[4]) + 'px';
        el.style.top = (box.top + +f[5]) + 'px';
        el.style.width = f[6] + 'px';
        el.style.height = f[7] + 'px';
      }
      if (el._flags !== flags) {
        el._flags = flags;
        if (flags & 1) el.setAttribute('aria-disabled', 'true');
        else el.removeAttribute('aria-disabled');
        if (role === 1) el.setAttribute('aria-selected', flags & 2 ? 'true' : 'false');
        if (role === 4 || role === 5) el.setAttribute('aria-checked', flags & 2 ? 'true' : 'false');
      }
      var parent = +f[3] >= 0 ? placed[+f[3]] : root, before = last.get(parent);
      var want = before ? before.nextSibling : parent.firstChild;
      if (want !== el) parent.insertBefore(el, want);
      last.set(parent, el);
      placed.push(el);
    });
    a.twins.forEach(function(el, id) {
      if (el._seen === stamp) return;
      // A pressed Stop becomes Send: the keyboard goes back to the composer, not to nowhere.
      if (el.contains(document.activeElement)) document.getElementById('text-agent').focus({preventScroll: true});
      el.remove();
      a.twins.delete(id);
    });
  },

  imchat_a11y_message__deps: ['$imchatA11y'],
  // A new, empty article for message `index`; with no role, only selects the one there.
  imchat_a11y_message: function(index, role) {
    var a = imchatA11y, root = a.root('transcript-mirror');
    if (!role) {
      a.current = root.children[index];
      return;
    }
    var article = document.createElement('article');
    article.setAttribute('aria-label', UTF8ToString(role));
    article._q = article._l = 0;
    article._c = true;
    article._blocks = [];
    if (root.children[index]) root.replaceChild(article, root.children[index]);
    else root.appendChild(article);
    a.current = article;
  },

  imchat_a11y_truncate__deps: ['$imchatA11y'],
  imchat_a11y_truncate: function(count) {
    var root = imchatA11y.root('transcript-mirror');
    while (root.children.length > count) root.removeChild(root.lastChild);
    imchatA11y.current = root.lastChild;
  },

  imchat_a11y_truncate_blocks__deps: ['$imchatA11y'],
  imchat_a11y_truncate_blocks: function(count) {
    var article = imchatA11y.current;
    while (article && article._blocks.length > count) {
      var el = article._blocks.pop(), parent = el.parentNode;
      el.remove();
      // Lists and quotes left empty go too (a block's own element stays: it is still listed).
      while (parent !== article && !parent.firstChild && !parent._block) {
        var up = parent.parentNode;
        parent.remove();
        parent = up;
      }
    }
  },

  // header: kind, level, quote depth, list depth, ordered, number, task state (MirrorBlock).
  imchat_a11y_block__deps: ['$imchatA11y'],
  imchat_a11y_block: function(header, text, runs, count, links, linksSize) {
    var a = imchatA11y, article = a.current, h = header >> 2;
    var kind = HEAP32[h], q = HEAP32[h + 2], l = HEAP32[h + 3], el;
    var prev = article._blocks[article._blocks.length - 1];
    if (kind === 3) {  // list item: into a list of its kind at its level, continued or new
      var context = a.context(article, prev, q, l - 1), tag = HEAP32[h + 4] ? 'OL' : 'UL', list = context.lastChild;
      if (!list || list.tagName !== tag || list._l !== l) list = a.add(context, tag, q, l, false);
      el = a.add(list, 'li', q, l, true);
      if (HEAP32[h + 4]) el.value = HEAP32[h + 5];
      if (HEAP32[h + 6] >= 0) el.appendChild(document.createTextNode(HEAP32[h + 6] ? '\u2611 ' : '\u2610 '));
    } else {
      var tags = ['p', 'h' + Math.min(Math.max(HEAP32[h + 1], 1), 6), 'pre', '', 'table', 'hr'];
      el = a.add(a.context(article, prev, q, l), tags[kind], q, l, false);
    }
    el._block = true;
    article._blocks.push(el);
    if (kind === 4) a.tableRows(el, 0, UTF8ToString(text));
    else a.appendRuns(el, text, runs, count, a.urls(links, linksSize));
  },

  imchat_a11y_append__deps: ['$imchatA11y'],
  imchat_a11y_append: function(text, runs, count, links, linksSize) {
    var a = imchatA11y, blocks = a.current._blocks;
    a.appendRuns(blocks[blocks.length - 1], text, runs, count, a.urls(links, linksSize));
  },

  imchat_a11y_table_rows__deps: ['$imchatA11y'],
  imchat_a11y_table_rows: function(first, rows, size) {
    var blocks = imchatA11y.current._blocks;
    imchatA11y.tableRows(blocks[blocks.length - 1], first, UTF8ToString(rows, size));
  },

  // Only the last few announcements stay: removing old ones is not read out.
  imchat_a11y_announce__deps: ['$imchatA11y'],
  imchat_a11y_announce: function(text, size) {
    var live = imchatA11y.root('reply-live');
    live.appendChild(document.createElement('p')).textContent = UTF8ToString(text, size);
    while (live.children.length > 3) live.removeChild(live.firstChild);
  },
});
