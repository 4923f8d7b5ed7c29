// serve.mjs: starts a real serve.py for Node and browser tests.
//
//   import { startServer } from '../lib/serve.mjs';
//   const server = await startServer(['--tokens-per-second', '5000']);
//   ... fetch(server.url + '/api/chat', ...) ...
//   await server.stop();
//
// The server listens on a free loopback port (--port 0) and serves the web bundle
// (opts.root, else $IMCHAT_BUNDLE_DIR, else build/web/bundle). Every server still running when
// the test process exits is killed, so a failing test never leaves one behind.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.IMCHAT_SOURCE_DIR || path.resolve(here, '..', '..');
export const bundleDir = process.env.IMCHAT_BUNDLE_DIR || path.join(sourceDir, 'build', 'web', 'bundle');

const running = new Set();
process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
});

// args: extra serve.py options. opts: { root, env (added to process.env), timeoutMs (start-up,
// default 15000), verbose (copy serve.py's stderr to ours; also IMCHAT_SERVE_VERBOSE=1) }.
// Returns { url, port, process, stop, stderr } where stderr() is what serve.py logged so far.
export async function startServer(args = [], opts = {}) {
    const root = opts.root || bundleDir;
    // --exit-on-stdin-eof: serve.py also ends if this process dies without running 'exit'.
    const argv = [path.join(sourceDir, 'serve.py'), '--port', '0', '--root', root, '--exit-on-stdin-eof', ...args];
    const child = spawn('python3', argv, {
        env: { ...process.env, ...(opts.env || {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    const verbose = opts.verbose || process.env.IMCHAT_SERVE_VERBOSE === '1';
    let log = '';
    child.stderr.on('data', (chunk) => {
        if (verbose) process.stderr.write(chunk);
        log += chunk.toString();
        if (log.length > 200_000) log = log.slice(-100_000);
    });
    let exited = false;
    const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
        exited = true;
        running.delete(child);
        resolve({ code, signal });
    }));

    const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => fail(new Error('serve.py did not start within '
            + (opts.timeoutMs || 15000) + ' ms')), opts.timeoutMs || 15000);
        function fail(err) {
            clearTimeout(timer);
            child.kill('SIGKILL');
            err.message += `\nserve.py ${argv.slice(1).join(' ')}\nstderr:\n${log}`;
            reject(err);
        }
        child.stdout.on('data', (chunk) => {
            out += chunk.toString();
            const nl = out.indexOf('\n');
            if (nl < 0) return;
            const m = /^listening on (http:\/\/\S+)$/.exec(out.slice(0, nl).trim());
            clearTimeout(timer);
            child.stdout.removeAllListeners('data');
            child.stdout.resume();  // keep draining so serve.py never blocks on a full pipe
            if (m) resolve(m[1]);
            else fail(new Error(`unexpected first line from serve.py: ${out.slice(0, nl)}`));
        });
        child.on('error', fail);
        exitPromise.then(({ code, signal }) => fail(new Error(`serve.py exited (code ${code}, signal ${signal})`)));
    });

    const port = Number(new URL(url).port);
    async function stop() {
        if (exited) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exitPromise;
        clearTimeout(timer);
    }
    return { url, port, process: child, stop, stderr: () => log };
}
