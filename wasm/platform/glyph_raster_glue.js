// Emscripten JS library: glyphs drawn by the browser (wasm/platform/glyph_raster.cpp).
//
// One 2D canvas (an OffscreenCanvas where the browser has one) draws text with fillText in the
// system's font stacks, so every script and the colour emoji font the system has are used, and
// no font file is ever downloaded. measureText gives advances and ink bounds; a whole batch of
// glyphs is drawn into one sheet and read back with a single getImageData, because the readback
// is what costs (it waits for the canvas to finish drawing), not the drawing.

mergeInto(LibraryManager.library, {
  $imchatGlyphs: {
    ctx: null,
    faces: [],       // face id -> {family, weight, style}
    font: '',        // the font string last given to ctx
    missing: {},     // font + '\0' + text -> true: drawn as a boxed hex code (no font has it)
    notdef: {},      // font -> what the browser draws for an unassigned code point there
    scratch: null,   // a small canvas for comparing two drawings
  },

  // A code point no font of the system has is drawn by the browser as its "missing glyph"
  // (a box or nothing). Detected by drawing like an unassigned code point (U+0378) in the same
  // font: same advance, ink box and pixels. Private-use code points have no meaning to show,
  // and bidi controls in code (the monospace face) must be seen: both are always boxes.
  $imchatGlyphsIsMissing__deps: ['$imchatGlyphs'],
  $imchatGlyphsIsMissing: function(face, text, m) {
    var g = imchatGlyphs, cp = text.codePointAt(0);
    if (text.length > (cp > 0xffff ? 2 : 1)) return false;  // one code point only
    if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return true;
    if (face === 1 && ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))) return true;
    if (cp < 0x80) return false;
    var ref = g.notdef[g.font];
    if (!ref) {
      var r = g.ctx.measureText('\u0378');
      ref = g.notdef[g.font] = {w: r.width, box: [r.actualBoundingBoxLeft, r.actualBoundingBoxRight, r.actualBoundingBoxAscent, r.actualBoundingBoxDescent], pixels: null};
    }
    // A blank missing glyph cannot be told from a blank character (a space): keep those.
    if (!(ref.box[0] + ref.box[1] > 0 && ref.box[2] + ref.box[3] > 0)) return false;
    if (m.width !== ref.w || m.actualBoundingBoxLeft !== ref.box[0] || m.actualBoundingBoxRight !== ref.box[1] ||
        m.actualBoundingBoxAscent !== ref.box[2] || m.actualBoundingBoxDescent !== ref.box[3]) return false;
    var px = parseFloat(g.font.split('px')[0].split(' ').pop()) || 16;
    var size = Math.ceil(px * 2) + 8;
    if (!g.scratch) g.scratch = new OffscreenCanvas(size, size).getContext('2d', {willReadFrequently: true});
    var s = g.scratch;
    if (s.canvas.width < size) s.canvas.width = s.canvas.height = size;
    function draw(t) {
      s.clearRect(0, 0, size, size);
      s.font = g.font;
      s.fillStyle = '#fff';
      s.fillText(t, 4, size * 0.7);
      return s.getImageData(0, 0, size, size).data;
    }
    if (!ref.pixels) ref.pixels = draw('\u0378');
    var d = draw(text);
    for (var i = 0; i < d.length; i++) if (d[i] !== ref.pixels[i]) return false;
    return true;
  },

  // The box of a missing glyph: its code in hex, two rows (4 digits: 2 + 2, 6 digits: 3 + 3),
  // as browsers draw it. Metrics in measureText's terms.
  $imchatGlyphsBox: function(cp, px) {
    var digits = cp > 0xffff ? 6 : 4;
    var w = Math.round(px * (0.3 * digits / 2 + 0.22)), h = Math.round(px * 0.86), pad = Math.max(1, Math.round(px * 0.08));
    return {width: w + 2 * pad, left: -pad, right: pad + w, ascent: Math.round(px * 0.76), descent: h - Math.round(px * 0.76), digits: digits, w: w, h: h, pad: pad};
  },

  $imchatGlyphsSetFont__deps: ['$imchatGlyphs'],
  $imchatGlyphsSetFont: function(face, px) {
    var g = imchatGlyphs, f = g.faces[face];
    var font = f.style + ' ' + f.weight + ' ' + px + 'px ' + f.family;
    if (font !== g.font) {
      g.ctx.font = font;
      g.font = font;
    }
  },

  // Creates the canvas and checks that what it draws can be read back as drawn: privacy modes
  // (fingerprinting protection) blank the readback or add noise to it. Returns 1 when it can.
  imchat_glyph_init__deps: ['$imchatGlyphs'],
  imchat_glyph_init: function() {
    var g = imchatGlyphs;
    var canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(64, 32) : document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 32;
    // willReadFrequently keeps the canvas on the CPU, where getImageData is a copy, not a
    // round trip to the GPU.
    g.ctx = canvas.getContext('2d', {willReadFrequently: true});
    if (!g.ctx) return 0;
    var ctx = g.ctx;
    ctx.textBaseline = 'alphabetic';
    function probe() {
      ctx.clearRect(0, 0, 64, 32);
      ctx.fillStyle = 'rgb(250,20,120)';
      ctx.fillRect(0, 0, 8, 8);
      ctx.fillStyle = '#fff';
      ctx.font = '24px sans-serif';
      g.font = '';
      ctx.fillText('M', 20, 26);
      return ctx.getImageData(0, 0, 64, 32).data;
    }
    var a = probe(), b = probe();
    var inked = 0;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return 0;  // noise differs per read
    for (var y = 0; y < 32; y++) {
      for (var x = 0; x < 64; x++) {
        var p = (y * 64 + x) * 4;
        if (x < 8 && y < 8) {
          if (a[p] !== 250 || a[p + 1] !== 20 || a[p + 2] !== 120 || a[p + 3] !== 255) return 0;
        } else if (x < 18 || y < 4) {
          if (a[p + 3] !== 0) return 0;  // nothing was drawn here
        } else if (a[p + 3] > 128) {
          inked++;
        }
      }
    }
    return inked > 20 ? 1 : 0;
  },

  // Which CJK region's fonts come first: 0 Simplified Chinese, 1 Traditional, 2 Japanese, 3 Korean.
  imchat_glyph_cjk_region: function() {
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < langs.length; i++) {
      var l = String(langs[i]).toLowerCase();
      if (/^ja\b/.test(l)) return 2;
      if (/^ko\b/.test(l)) return 3;
      if (/^zh-(tw|hk|mo|hant)\b/.test(l)) return 1;
      if (/^zh\b/.test(l)) return 0;
    }
    return 0;
  },

  imchat_glyph_set_face__deps: ['$imchatGlyphs'],
  imchat_glyph_set_face: function(face, family, weight, italic) {
    imchatGlyphs.faces[face] = {family: UTF8ToString(family), weight: weight, style: italic ? 'italic' : 'normal'};
    // Tests draw their references with the very font strings the glyphs are drawn with.
    var hooks = window.imchat = window.imchat || {};
    hooks.glyphMissing = function(f, px, text) {
      var d = imchatGlyphs.faces[f];
      return !!imchatGlyphs.missing[d.style + ' ' + d.weight + ' ' + px + 'px ' + d.family + '\0' + text];
    };
    hooks.glyphFont = function(f, px) {
      var d = imchatGlyphs.faces[f];
      return d.style + ' ' + d.weight + ' ' + px + 'px ' + d.family;
    };
  },

  // Measures `count` texts (UTF-8 pointers at `texts`) in one face and size. out, 7 floats each:
  // advance, ink left, ink right, ink ascent, ink descent (measureText's actualBoundingBox*,
  // positive away from the pen origin), font ascent, font descent.
  imchat_glyph_measure__deps: ['$imchatGlyphs', '$imchatGlyphsSetFont', '$imchatGlyphsIsMissing', '$imchatGlyphsBox'],
  imchat_glyph_measure: function(face, px, count, texts, out) {
    imchatGlyphsSetFont(face, px);
    var g = imchatGlyphs, ctx = g.ctx;
    for (var i = 0; i < count; i++) {
      var text = UTF8ToString(HEAP32[(texts >> 2) + i]);
      var m = ctx.measureText(text);
      var o = (out >> 2) + i * 7;
      if (text && imchatGlyphsIsMissing(face, text, m)) {
        g.missing[g.font + '\0' + text] = true;
        var b = imchatGlyphsBox(text.codePointAt(0), px);
        m = {width: b.width, actualBoundingBoxLeft: b.left, actualBoundingBoxRight: b.right, actualBoundingBoxAscent: b.ascent,
             actualBoundingBoxDescent: b.descent, fontBoundingBoxAscent: m.fontBoundingBoxAscent, fontBoundingBoxDescent: m.fontBoundingBoxDescent};
      }
      HEAPF32[o] = m.width;
      HEAPF32[o + 1] = m.actualBoundingBoxLeft;
      HEAPF32[o + 2] = m.actualBoundingBoxRight;
      HEAPF32[o + 3] = m.actualBoundingBoxAscent;
      HEAPF32[o + 4] = m.actualBoundingBoxDescent;
      HEAPF32[o + 5] = m.fontBoundingBoxAscent;
      HEAPF32[o + 6] = m.fontBoundingBoxDescent;
    }
  },

  // Draws `count` requests into one width x height sheet and copies its RGBA pixels to `pixels`.
  // A request is 5 int32: face, size in 1/64 px, text (a UTF-8 pointer), and the pen origin x, y
  // (x can be negative: ink may start right of the origin). Text is white: the atlas keeps its alpha and ImGui tints it; colour
  // glyphs (emoji) come out in their own colours.
  imchat_glyph_raster_batch__deps: ['$imchatGlyphs', '$imchatGlyphsSetFont', '$imchatGlyphsBox'],
  imchat_glyph_raster_batch: function(count, requests, width, height, pixels) {
    var ctx = imchatGlyphs.ctx, canvas = ctx.canvas;
    if (canvas.width < width || canvas.height < height) {
      canvas.width = Math.max(canvas.width, width);
      canvas.height = Math.max(canvas.height, height);
      imchatGlyphs.font = '';  // resizing resets the context's state
      ctx.textBaseline = 'alphabetic';
    }
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    for (var i = 0; i < count; i++) {
      var r = (requests >> 2) + i * 5;
      var px = HEAP32[r + 1] / 64, text = UTF8ToString(HEAP32[r + 2]), x = HEAP32[r + 3], y = HEAP32[r + 4];
      imchatGlyphsSetFont(HEAP32[r], px);
      if (!imchatGlyphs.missing[imchatGlyphs.font + '\0' + text]) {
        ctx.fillText(text, x, y);
        continue;
      }
      var b = imchatGlyphsBox(text.codePointAt(0), px), lw = Math.max(1, Math.round(px / 16));
      var hex = text.codePointAt(0).toString(16).toUpperCase().padStart(b.digits, '0'), half = b.digits / 2;
      var top = y - b.ascent, left = x + b.pad;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = lw;
      ctx.strokeRect(left + lw / 2, top + lw / 2, b.w - lw, b.h - lw);
      ctx.font = Math.max(4, Math.floor(b.h * 0.36)) + 'px monospace';
      imchatGlyphs.font = '';
      ctx.textAlign = 'center';
      ctx.fillText(hex.slice(0, half), left + b.w / 2, top + b.h * 0.45);
      ctx.fillText(hex.slice(half), left + b.w / 2, top + b.h * 0.86);
      ctx.textAlign = 'start';
    }
    HEAPU8.set(ctx.getImageData(0, 0, width, height).data, pixels);
  },
});
