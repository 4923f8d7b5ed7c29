// The math engine's Web Worker (bundled by esbuild into bundle/math_worker.js, loaded by
// math_glue.js only when the first formula appears): TeX -> SVG string with MathJax 3 on its
// liteDOM (a worker has no DOM), SVG output with a local font cache so each formula's SVG
// stands alone as an image. Nothing here fetches: MathJax's TeX packages are bundled in.
import {mathjax} from 'mathjax-full/js/mathjax.js';
import {TeX} from 'mathjax-full/js/input/tex.js';
import {SVG} from 'mathjax-full/js/output/svg.js';
import {liteAdaptor} from 'mathjax-full/js/adaptors/liteAdaptor.js';
import {RegisterHTMLHandler} from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import 'mathjax-full/js/input/tex/color/ColorConfiguration.js';
import 'mathjax-full/js/input/tex/cancel/CancelConfiguration.js';
import 'mathjax-full/js/input/tex/mhchem/MhchemConfiguration.js';

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({
  packages: ['base', 'ams', 'newcommand', 'boldsymbol', 'color', 'cancel', 'mhchem'],
  // An error is the caller's to show (the source in the error colour), not a red box.
  formatError: (jax, err) => { throw err; },
});
const svg = new SVG({fontCache: 'local'});
const doc = mathjax.document('', {InputJax: tex, OutputJax: svg});

// Sizes come back in ex of the font: MathJax's own ex is half an em here (ex = em / 2).
function typeset({id, tex: source, display, px}) {
  const em = px, ex = px / 2;
  const node = doc.convert(source, {display, em, ex, containerWidth: 1e6});
  const root = adaptor.firstChild(node);
  const w = parseFloat(adaptor.getAttribute(root, 'width')) * ex;
  const h = parseFloat(adaptor.getAttribute(root, 'height')) * ex;
  const align = /vertical-align:\s*(-?[\d.]+)ex/.exec(adaptor.getAttribute(root, 'style') || '');
  const depth = align ? -parseFloat(align[1]) * ex : 0;
  return {id, svg: adaptor.outerHTML(root), width: w, height: h - depth, depth};
}

self.onmessage = (e) => {
  const job = e.data;
  try {
    self.postMessage(typeset(job));
  } catch (err) {
    self.postMessage({id: job.id, error: String(err && err.message || err)});
  }
};
self.postMessage({ready: true});
