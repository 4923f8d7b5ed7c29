// Shrinks Emscripten's JS after the link: terser (Debian's node-terser) renames local names and
// folds dead code. Top-level names stay: the page's glue and Emscripten's own code reach them by
// name. Emscripten 3.1.6 can only do this with Closure, which is not packaged (docs/PERFORMANCE.md).
//   node cmake/minify_js.mjs FILE.js     (rewrites FILE.js in place)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { minify } = require('/usr/share/nodejs/terser');

const file = process.argv[2];
const result = await minify(readFileSync(file, 'utf8'), {
  compress: { passes: 2 },
  mangle: { toplevel: false },
  format: { comments: false },
});
writeFileSync(file, result.code);
