// Emscripten JS library: formulas typeset off the main thread, rastered on it, uploaded as
// textures (wasm/platform/math_engine.cpp, wasm/gfx/image_cache.cpp).
//
// The worker (bundle/math_worker.js, MathJax) is created at the first formula, so none of it is
// part of the first load. It answers with an SVG string; browsers refuse createImageBitmap on an
// SVG blob and a worker has no Image, so the raster step is here: an <img> from a blob URL
// (CSP img-src blob:), decode(), createImageBitmap. Rasters run within a per-frame time budget.
// A job that takes longer than the time limit (a recursive \def, 10 000 nested braces) ends the
// worker; a new one takes the jobs that were waiting.

mergeInto(LibraryManager.library, {
  $imchatMath: {
    worker: null,
    jobs: [],           // waiting for the worker: {id, tex, display, px, color, dpr}
    running: null,      // the job the worker has, with its start time
    rasters: [],        // worker answers waiting for the main thread's raster step
    bitmaps: {},        // handle -> ImageBitmap, kept for re-uploads after a context loss
                        // (a plain object: Emscripten writes this object out as source)
    nextHandle: 1,
    timer: 0,
    scheduled: false,
    limitMs: 3000,      // a job past this is a hung worker
    budgetMs: 4,        // raster work per animation frame
    restarts: 0,
    stats: {requested: 0, rastered: 0, failed: 0, firstRequestAt: 0, readyAt: 0, latencies: [], errors: []},
  },

  $imchatMathStart__deps: ['$imchatMath', '$imchatMathFail', '$imchatMathSchedule', '$imchatMathNext', '$imchatMathRestart'],
  $imchatMathStart: function() {
    var m = imchatMath;
    if (m.worker) return;
    m.worker = new Worker('math_worker.js');
    m.worker.onmessage = function(e) {
      var d = e.data;
      if (d.ready) {
        if (!m.stats.readyAt) m.stats.readyAt = performance.now();
      } else {
        clearTimeout(m.timer);
        var job = m.running;
        m.running = null;
        if (job && job.id === d.id) {
          if (d.error) imchatMathFail(job, d.error);
          else {
            d.job = job;
            m.rasters.push(d);
            imchatMathSchedule();
          }
        }
      }
      imchatMathNext();
    };
    m.worker.onerror = function(e) {
      e.preventDefault();
      imchatMathRestart('The math engine stopped: ' + (e.message || 'error'));
    };
  },

  $imchatMathRestart__deps: ['$imchatMath', '$imchatMathFail', '$imchatMathNext'],
  $imchatMathRestart: function(message) {
    var m = imchatMath;
    clearTimeout(m.timer);
    if (m.worker) m.worker.terminate();
    m.worker = null;
    m.restarts++;
    if (m.running) imchatMathFail(m.running, message);
    m.running = null;
    imchatMathNext();
  },

  $imchatMathNext__deps: ['$imchatMath', '$imchatMathStart', '$imchatMathRestart'],
  $imchatMathNext: function() {
    var m = imchatMath;
    if (m.running || !m.jobs.length) return;
    imchatMathStart();
    var job = m.jobs.shift();
    m.running = job;
    job.startedAt = performance.now();
    m.worker.postMessage({id: job.id, tex: job.tex, display: job.display, px: job.px});
    m.timer = setTimeout(function() {
      imchatMathRestart('The formula took longer than ' + m.limitMs / 1000 + ' s to typeset.');
    }, m.limitMs);
  },

  $imchatMathFail__deps: ['$imchatMath', 'malloc', 'free'],
  $imchatMathFail: function(job, message) {
    var stats = imchatMath.stats;
    stats.failed++;
    stats.errors.push(job.tex + ': ' + message);
    if (stats.errors.length > 20) stats.errors.shift();
    var n = lengthBytesUTF8(message) + 1, p = _malloc(n);
    stringToUTF8(message, p, n);
    _imchat_math_failed(job.id, p);
    _free(p);
  },

  $imchatMathSchedule__deps: ['$imchatMath', '$imchatMathRaster'],
  $imchatMathSchedule: function() {
    var m = imchatMath;
    if (m.scheduled) return;
    m.scheduled = true;
    requestAnimationFrame(function() {
      m.scheduled = false;
      imchatMathRaster();
    });
  },

  // Rasters waiting answers until this frame's budget is spent (at least one per frame).
  $imchatMathRaster__deps: ['$imchatMath', '$imchatMathFail', '$imchatMathSchedule'],
  $imchatMathRaster: function() {
    var m = imchatMath, start = performance.now();
    while (m.rasters.length && (performance.now() - start < m.budgetMs || start === performance.now())) {
      var d = m.rasters.shift();
      (function(d) {
        var job = d.job, scale = job.dpr;
        var pw = Math.max(1, Math.ceil(d.width * scale)), ph = Math.max(1, Math.ceil((d.height + d.depth) * scale));
        if (pw * ph > 4096 * 1024) {  // larger than the stated size: stays source
          imchatMathFail(job, 'The formula is too large to draw.');
          return;
        }
        // The SVG at its device-pixel size and in the theme's text colour.
        var svg = d.svg.replace(/^<svg([^>]*?) width="[^"]*" height="[^"]*"/,
          '<svg$1 width="' + pw + '" height="' + ph + '" preserveAspectRatio="none" color="' + job.color + '"');
        var url = URL.createObjectURL(new Blob([svg], {type: 'image/svg+xml'}));
        var img = new Image();
        img.src = url;
        img.decode().then(function() {
          return createImageBitmap(img, {premultiplyAlpha: 'none'});
        }).then(function(bitmap) {
          URL.revokeObjectURL(url);
          var handle = m.nextHandle++;
          m.bitmaps[handle] = bitmap;
          m.stats.rastered++;
          m.stats.latencies.push(performance.now() - job.requestedAt);  // request -> bitmap
          _imchat_math_done(job.id, handle, bitmap.width, bitmap.height, d.width, d.height, d.depth);
        }, function(err) {
          URL.revokeObjectURL(url);
          imchatMathFail(job, 'The formula could not be drawn.');
        });
      })(d);
      if (performance.now() - start >= m.budgetMs) break;
    }
    if (m.rasters.length) imchatMathSchedule();
  },

  imchat_math_typeset__deps: ['$imchatMath', '$imchatMathNext'],
  imchat_math_typeset: function(id, tex, display, px, color, dpr) {
    var m = imchatMath;
    globalThis.imchatMathState = m;  // for tests and the benchmark: counters and times
    if (!m.stats.firstRequestAt) m.stats.firstRequestAt = performance.now();
    m.stats.requested++;
    m.jobs.push({id: id, tex: UTF8ToString(tex), display: !!display, px: px, color: UTF8ToString(color), dpr: dpr,
                 requestedAt: performance.now()});
    imchatMathNext();
  },

  // The bitmap into GL texture `texture` (Emscripten's GL name), non-premultiplied like
  // everything ImGui draws.
  imchat_bitmap_upload__deps: ['$imchatMath', '$GL'],
  imchat_bitmap_upload: function(handle, texture) {
    var bitmap = imchatMath.bitmaps[handle];
    if (!bitmap) return 0;
    var gl = GLctx;
    gl.bindTexture(gl.TEXTURE_2D, GL.textures[texture]);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    return 1;
  },

  imchat_bitmap_release__deps: ['$imchatMath'],
  imchat_bitmap_release: function(handle) {
    var bitmap = imchatMath.bitmaps[handle];
    if (bitmap) bitmap.close();
    delete imchatMath.bitmaps[handle];
  },
});
