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
    hooks.glyphFont = function(f, px) {
      var d = imchatGlyphs.faces[f];
      return d.style + ' ' + d.weight + ' ' + px + 'px ' + d.family;
    };
  },

  // Measures `count` texts (UTF-8 pointers at `texts`) in one face and size. out, 7 floats each:
  // advance, ink left, ink right, ink ascent, ink descent (measureText's actualBoundingBox*,
  // positive away from the pen origin), font ascent, font descent.
  imchat_glyph_measure__deps: ['$imchatGlyphs', '$imchatGlyphsSetFont'],
  imchat_glyph_measure: function(face, px, count, texts, out) {
    imchatGlyphsSetFont(face, px);
    var ctx = imchatGlyphs.ctx;
    for (var i = 0; i < count; i++) {
      var m = ctx.measureText(UTF8ToString(HEAP32[(texts >> 2) + i]));
      var o = (out >> 2) + i * 7;
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
  imchat_glyph_raster_batch__deps: ['$imchatGlyphs', '$imchatGlyphsSetFont'],
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
      imchatGlyphsSetFont(HEAP32[r], HEAP32[r + 1] / 64);
      ctx.fillText(UTF8ToString(HEAP32[r + 2]), HEAP32[r + 3], HEAP32[r + 4]);
    }
    HEAPU8.set(ctx.getImageData(0, 0, width, height).data, pixels);
  },
});
