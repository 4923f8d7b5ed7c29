// Shrinks Emscripten's JS after the link with terser (Debian's node-terser). The file is first
// wrapped in a function that takes the page's `Module`, so that every name Emscripten declares at
// the top level becomes local: terser can then rename all of them and drop the unused ones, which
// Emscripten 3.1.6 leaves to Closure (not packaged; docs/PERFORMANCE.md). Nothing outside reaches
// those names: shell/glue.js and the tests talk to the app through Module's properties and
// window.imchat only. The `var Module = ...` at the top of the file keeps the parameter's value.
//   node cmake/minify_js.mjs FILE.js     (rewrites FILE.js in place)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { minify } = require('/usr/share/nodejs/terser');

const file = process.argv[2];
const wrapped = '(function (Module) {\n' + readFileSync(file, 'utf8') + '\n})(window.Module);\n';
const result = await minify(wrapped, {
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
writeFileSync(file, result.code);
