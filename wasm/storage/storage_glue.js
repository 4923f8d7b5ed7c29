// Emscripten JS library: the browser half of wasm/storage: IndexedDB and BroadcastChannel for
// history_store, localStorage for settings_store.
// Kept thin: it moves records between C++ and the database as JSON text and reports back through
// _imchat_history_result(request, ok, text) / _imchat_history_write_done(ok, error); the decisions
// (what to write, how to rebuild a conversation) are C++.

mergeInto(LibraryManager.library, {
  $imchatHistory: {
    db: null,
    channel: null,
    undoWindowMs: 10000,
  },

  // Calls fn(pointer) with text as a temporary UTF-8 string in wasm memory.
  $imchatHistoryWithString__deps: ['$stringToNewUTF8', 'free'],
  $imchatHistoryWithString: function(text, fn) {
    var p = stringToNewUTF8(text);
    try { fn(p); } finally { _free(p); }
  },

  $imchatHistoryReply__deps: ['$imchatHistoryWithString'],
  $imchatHistoryReply: function(request, ok, text) {
    imchatHistoryWithString(text, function(p) { _imchat_history_result(request, ok ? 1 : 0, p); });
  },

  $imchatHistoryDescribe: function(error) {
    if (!error) return 'unknown error';
    return (error.name ? error.name + ': ' : '') + (error.message || String(error));
  },

  // Every key of one conversation's messages: [conv, 0] .. [conv, +Infinity].
  $imchatHistoryRange: function(conv) {
    return IDBKeyRange.bound([conv, 0], [conv, Infinity]);
  },

  $imchatHistoryPost__deps: ['$imchatHistory'],
  $imchatHistoryPost: function(message) {
    var h = imchatHistory;
    if (h.channel) {
      try { h.channel.postMessage(message); } catch (e) { /* a closed channel: nothing to tell */ }
    }
  },

  // Deletes a conversation that is still marked deleted (its undo window is over).
  $imchatHistoryPurge__deps: ['$imchatHistory', '$imchatHistoryRange', '$imchatHistoryPost'],
  $imchatHistoryPurge: function(conv, done) {
    var tx = imchatHistory.db.transaction(['conversations', 'messages'], 'readwrite');
    var metas = tx.objectStore('conversations');
    var purged = false;
    metas.get(conv).onsuccess = function(e) {
      var meta = e.target.result;
      if (!meta || !meta.deleted) return;  // undone meanwhile
      purged = true;
      metas.delete(conv);
      tx.objectStore('messages').delete(imchatHistoryRange(conv));
    };
    tx.oncomplete = function() {
      if (purged) imchatHistoryPost({conv: conv, kind: 'purge'});
      if (done) done(true);
    };
    tx.onabort = function() { if (done) done(false); };
  },

  imchat_history_open__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryDescribe',
                              '$imchatHistoryPurge', '$imchatHistoryWithString', '$imchatHistoryRange'],
  imchat_history_open: function(request, undoWindowMs) {
    var h = imchatHistory;
    h.undoWindowMs = undoWindowMs;
    var idb = null;
    try { idb = window.indexedDB; } catch (e) { /* some private modes throw on access */ }
    if (!idb) {
      imchatHistoryReply(request, false, 'this browser offers no IndexedDB here (private mode?)');
      return;
    }
    var open;
    try {
      open = idb.open('imchat', 1);
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
      return;
    }
    open.onupgradeneeded = function() {
      var db = open.result;
      if (!db.objectStoreNames.contains('conversations')) db.createObjectStore('conversations', {keyPath: 'id'});
      if (!db.objectStoreNames.contains('messages')) db.createObjectStore('messages', {keyPath: ['c', 'id']});
    };
    open.onerror = function(e) {
      e.preventDefault();
      imchatHistoryReply(request, false, imchatHistoryDescribe(open.error));
    };
    open.onsuccess = function() {
      h.db = open.result;
      // A newer page version wants to upgrade the database: step aside instead of blocking it.
      h.db.onversionchange = function() { h.db.close(); h.db = null; };
      if (typeof BroadcastChannel === 'function') {
        h.channel = new BroadcastChannel('imchat-history');
        h.channel.onmessage = function(e) {
          var m = e.data;
          if (m && typeof m.conv === 'string')
            imchatHistoryWithString(m.conv, function(p) { _imchat_history_external(p); });
        };
      }
      // Deletions whose undo window ran out while no page was open.
      var metas = h.db.transaction('conversations').objectStore('conversations');
      metas.getAll().onsuccess = function(e) {
        var now = Date.now();
        e.target.result.forEach(function(meta) {
          if (meta.deleted && now - meta.deleted >= h.undoWindowMs) imchatHistoryPurge(meta.id, null);
        });
      };

      // Test and debugging hooks: the stored history as the page sees it.
      var hooks = window.imchat = window.imchat || {};
      hooks.history = function() {
        return new Promise(function(resolve, reject) {
          if (!h.db) return resolve({available: false, problem: UTF8ToString(_imchat_history_problem()), conversations: []});
          var req = h.db.transaction('conversations').objectStore('conversations').getAll();
          req.onsuccess = function() {
            var list = req.result.filter(function(m) { return !m.deleted; });
            list.sort(function(a, b) { return b.updated_ms - a.updated_ms; });
            resolve({available: true, problem: UTF8ToString(_imchat_history_problem()), conversations: list});
          };
          req.onerror = function() { reject(req.error); };
        });
      };
      hooks.historyRecords = function(conv) {
        return new Promise(function(resolve, reject) {
          if (!h.db) return resolve([]);
          var req = h.db.transaction('messages').objectStore('messages').getAll(imchatHistoryRange(conv));
          req.onsuccess = function() { resolve(req.result.map(function(v) { return JSON.parse(v.r); })); };
          req.onerror = function() { reject(req.error); };
        });
      };
      imchatHistoryReply(request, true, '');
    };
  },

  imchat_history_write__deps: ['$imchatHistory', '$imchatHistoryPost', '$imchatHistoryDescribe',
                               '$imchatHistoryWithString'],
  imchat_history_write: function(convPtr, metaPtr, count, idsPtr, recordsPtr) {
    var h = imchatHistory;
    var conv = UTF8ToString(convPtr);
    var meta = metaPtr ? JSON.parse(UTF8ToString(metaPtr)) : null;
    var ids = [];
    var records = [];
    for (var i = 0; i < count; ++i) {
      ids.push(HEAPU32[(idsPtr >> 2) + i]);
      records.push(UTF8ToString(HEAPU32[(recordsPtr >> 2) + i]));
    }
    function failed(error) {
      imchatHistoryWithString(imchatHistoryDescribe(error), function(p) { _imchat_history_write_done(0, p); });
    }
    try {
      var tx = h.db.transaction(['conversations', 'messages'], 'readwrite');
      var messages = tx.objectStore('messages');
      for (var j = 0; j < ids.length; ++j) messages.put({c: conv, id: ids[j], r: records[j]});
      if (meta) {
        var metas = tx.objectStore('conversations');
        // Keep a pending delete's mark: the conversation stays hidden until undone or purged.
        metas.get(conv).onsuccess = function(e) {
          var old = e.target.result;
          if (old && old.deleted) meta.deleted = old.deleted;
          metas.put(meta);
        };
      }
      tx.oncomplete = function() {
        imchatHistoryPost({conv: conv, ids: ids, kind: 'write'});
        _imchat_history_write_done(1, 0);
      };
      tx.onabort = function() { failed(tx.error); };
    } catch (e) {
      failed(e);
    }
  },

  imchat_history_list__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryDescribe'],
  imchat_history_list: function(request) {
    try {
      var req = imchatHistory.db.transaction('conversations').objectStore('conversations').getAll();
      req.onsuccess = function() {
        imchatHistoryReply(request, true, JSON.stringify(req.result.filter(function(m) { return !m.deleted; })));
      };
      req.onerror = function(e) { e.preventDefault(); imchatHistoryReply(request, false, imchatHistoryDescribe(req.error)); };
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
    }
  },

  imchat_history_load__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryDescribe', '$imchatHistoryRange'],
  imchat_history_load: function(request, convPtr) {
    var conv = UTF8ToString(convPtr);
    try {
      var tx = imchatHistory.db.transaction(['conversations', 'messages']);
      var meta = null;
      var records = [];
      tx.objectStore('conversations').get(conv).onsuccess = function(e) { meta = e.target.result || null; };
      tx.objectStore('messages').getAll(imchatHistoryRange(conv)).onsuccess = function(e) { records = e.target.result; };
      tx.oncomplete = function() {
        if (!meta && records.length === 0) return imchatHistoryReply(request, false, 'no such conversation');
        // The records are JSON text already: joined, not parsed and re-encoded.
        var text = '{"meta":' + JSON.stringify(meta) + ',"messages":[' +
                   records.map(function(v) { return v.r; }).join(',') + ']}';
        imchatHistoryReply(request, true, text);
      };
      tx.onabort = function() { imchatHistoryReply(request, false, imchatHistoryDescribe(tx.error)); };
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
    }
  },

  // Changes one conversation's meta record in place (change(meta) edits it), tells the other
  // tabs (kind) and answers the request: shared by delete, undelete and rename.
  $imchatHistoryUpdateMeta__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryDescribe', '$imchatHistoryPost'],
  $imchatHistoryUpdateMeta: function(request, conv, change, kind) {
    try {
      var tx = imchatHistory.db.transaction('conversations', 'readwrite');
      var metas = tx.objectStore('conversations');
      var found = false;
      metas.get(conv).onsuccess = function(e) {
        var meta = e.target.result;
        if (!meta) return;
        found = true;
        change(meta);
        metas.put(meta);
      };
      tx.oncomplete = function() {
        if (found) imchatHistoryPost({conv: conv, kind: kind});
        imchatHistoryReply(request, found, found ? '' : 'no such conversation');
      };
      tx.onabort = function() { imchatHistoryReply(request, false, imchatHistoryDescribe(tx.error)); };
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
    }
  },

  // deleted = 1: mark the conversation deleted now; 0: clear the mark (undo).
  imchat_history_mark_deleted__deps: ['$imchatHistoryUpdateMeta'],
  imchat_history_mark_deleted: function(request, convPtr, deleted) {
    imchatHistoryUpdateMeta(request, UTF8ToString(convPtr), function(meta) {
      if (deleted) meta.deleted = Date.now();
      else delete meta.deleted;
    }, deleted ? 'delete' : 'undelete');
  },

  imchat_history_purge__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryPurge', '$imchatHistoryDescribe'],
  imchat_history_purge: function(request, convPtr) {
    try {
      imchatHistoryPurge(UTF8ToString(convPtr), function(ok) { imchatHistoryReply(request, ok, ''); });
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
    }
  },

  imchat_history_rename__deps: ['$imchatHistoryUpdateMeta'],
  imchat_history_rename: function(request, convPtr, titlePtr) {
    var title = UTF8ToString(titlePtr);
    imchatHistoryUpdateMeta(request, UTF8ToString(convPtr), function(meta) { meta.title = title; }, 'rename');
  },

  // Ids (JSON array) of the conversations whose title or message text contains the query,
  // compared lower-cased (Unicode-aware), newest first. Scans every record: fine for a
  // browser's worth of chats; an index can come when it is not.
  imchat_history_search__deps: ['$imchatHistory', '$imchatHistoryReply', '$imchatHistoryDescribe'],
  imchat_history_search: function(request, queryPtr) {
    var query = UTF8ToString(queryPtr).toLowerCase();
    try {
      var tx = imchatHistory.db.transaction(['conversations', 'messages']);
      var metas = {};
      var hits = {};
      tx.objectStore('conversations').getAll().onsuccess = function(e) {
        e.target.result.forEach(function(m) {
          if (m.deleted) return;
          metas[m.id] = m;
          if (String(m.title || '').toLowerCase().indexOf(query) >= 0) hits[m.id] = true;
        });
        tx.objectStore('messages').openCursor().onsuccess = function(ev) {
          var cursor = ev.target.result;
          if (!cursor) return;
          var v = cursor.value;
          if (metas[v.c] && !hits[v.c]) {
            var record = null;
            try { record = JSON.parse(v.r); } catch (err) { /* a damaged record matches nothing */ }
            if (record && String(record.text || '').toLowerCase().indexOf(query) >= 0) hits[v.c] = true;
          }
          cursor.continue();
        };
      };
      tx.oncomplete = function() {
        var ids = Object.keys(hits).filter(function(id) { return metas[id]; });
        ids.sort(function(a, b) { return metas[b].updated_ms - metas[a].updated_ms; });
        imchatHistoryReply(request, true, JSON.stringify(ids));
      };
      tx.onabort = function() { imchatHistoryReply(request, false, imchatHistoryDescribe(tx.error)); };
    } catch (e) {
      imchatHistoryReply(request, false, imchatHistoryDescribe(e));
    }
  },

  imchat_history_new_id: function(out, size) {
    var bytes = new Uint8Array(12);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < bytes.length; ++i) bytes[i] = Math.floor(Math.random() * 256);
    var id = Date.now().toString(36) + '-';
    for (var j = 0; j < bytes.length; ++j) id += (bytes[j] & 31).toString(32);
    stringToUTF8(id, out, size);
  },

  imchat_history_wall_ms: function() {
    return Date.now();
  },

  // localStorage can be missing or throw on access (some private modes, sandboxed frames).
  // Returns a malloc'd string: the stored text, or "" when nothing is stored; 0 on failure.
  imchat_settings_read__deps: ['$stringToNewUTF8'],
  imchat_settings_read: function() {
    try {
      var text = window.localStorage.getItem('imchat.settings');
      return stringToNewUTF8(text === null ? '' : text);
    } catch (e) {
      return 0;
    }
  },

  // 0 on success, else a malloc'd error message.
  imchat_settings_write__deps: ['$stringToNewUTF8', '$imchatHistoryDescribe'],
  imchat_settings_write: function(text) {
    try {
      window.localStorage.setItem('imchat.settings', UTF8ToString(text));
      return 0;
    } catch (e) {
      return stringToNewUTF8(imchatHistoryDescribe(e));
    }
  },
});
