// fonts.mjs: the fonts the browser tests see. Chromium is given its own fontconfig
// (FONTCONFIG_FILE) whose only font folder holds links to the files of three Debian packages,
// so a result never depends on what else the machine has installed (Symbola, say, winning the
// fallback for emoji and drawing them monochrome). Nothing on the machine is changed.
//
//   import { fontconfigEnv } from '../lib/fonts.mjs';
//   chromium.launch({ env: { ...process.env, ...fontconfigEnv() } });
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// scripts/setup installs them: Latin, Greek, Cyrillic and the complex scripts (noto-core),
// Chinese, Japanese and Korean (noto-cjk, which also brings the monospace face), colour emoji.
export const testFontPackages = ['fonts-noto-core', 'fonts-noto-cjk', 'fonts-noto-color-emoji'];

let made = null;

function packageFontFiles() {
    const out = execFileSync('dpkg', ['-L', ...testFontPackages], { encoding: 'utf8' });
    return out.split('\n').filter((f) => /\.(ttf|otf|ttc)$/.test(f) && fs.existsSync(f));
}

// The environment that points Chromium at that configuration (made once per process).
export function fontconfigEnv() {
    if (made) return made;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'imchat-fonts-'));
    const dir = path.join(root, 'fonts');
    fs.mkdirSync(dir);
    for (const file of packageFontFiles()) fs.symlinkSync(file, path.join(dir, path.basename(file)));
    const alias = (family, prefer) =>
        `<alias binding="same"><family>${family}</family><prefer>${prefer.map((f) => `<family>${f}</family>`).join('')}</prefer></alias>`;
    const conf = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${dir}</dir>
  <cachedir>${path.join(root, 'cache')}</cachedir>
  ${alias('sans-serif', ['Noto Sans', 'Noto Sans CJK SC', 'Noto Color Emoji'])}
  ${alias('system-ui', ['Noto Sans', 'Noto Sans CJK SC', 'Noto Color Emoji'])}
  ${alias('serif', ['Noto Serif', 'Noto Serif CJK SC', 'Noto Color Emoji'])}
  ${alias('monospace', ['Noto Sans Mono CJK SC', 'Noto Color Emoji'])}
  ${alias('emoji', ['Noto Color Emoji'])}
</fontconfig>
`;
    const file = path.join(root, 'fonts.conf');
    fs.writeFileSync(file, conf);
    made = { FONTCONFIG_FILE: file };
    return made;
}
