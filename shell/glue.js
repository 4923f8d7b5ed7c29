// Page loader (no inline script: the page runs under a strict Content-Security-Policy).
// Checks WebGL2, starts fetching the wasm in parallel with imchat.js (the page downloads no
// fonts: the browser draws text in the system's own), configures the Emscripten `Module` and inserts imchat.js. window.imchat is the automation
// hook object (C++ fills in frames(), renderStats(), ...).
'use strict';
(function () {
  var hooks = window.imchat = window.imchat || {};
  var status = document.getElementById('status');

  function showError(message) {
    hooks.error = message;
    status.textContent = message;
    status.className = 'error';
    status.hidden = false;
  }

  // A throwaway canvas, so the real one keeps the context attributes the app asks for.
  var probe = document.createElement('canvas').getContext('webgl2');
  if (!probe) {
    showError('imchat needs WebGL2 to draw, and this browser has it turned off or does not support it. ' +
              'Try an up-to-date Firefox, Chrome, Edge or Safari, with hardware acceleration enabled.');
    return;
  }
  var lose = probe.getExtension('WEBGL_lose_context');
  if (lose) lose.loseContext();

  // The wasm download starts now, in parallel with imchat.js. Instantiating it here
  // (Module.instantiateWasm) also catches a failed download, which Emscripten 3.1.6 would leave
  // as an unhandled promise rejection with the page stuck on "Loading".
  var wasmResponse = fetch('imchat.wasm', { credentials: 'same-origin' });
  wasmResponse.catch(function () {});
  function instantiateWasm(imports, receiveInstance) {
    wasmResponse.then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status + ' for imchat.wasm');
      var fallback = response.clone();
      return WebAssembly.instantiateStreaming(response, imports).catch(function () {
        // A host that does not send application/wasm: compile from the bytes instead.
        return fallback.arrayBuffer().then(function (bytes) { return WebAssembly.instantiate(bytes, imports); });
      });
    }).then(function (result) {
      receiveInstance(result.instance, result.module);
    }, function (error) {
      showError('imchat could not be loaded (' + (error && error.message || error) + '). ' +
                'Check the connection and reload the page.');
    });
    return {}; // exports arrive asynchronously through receiveInstance
  }

  window.Module = {
    canvas: document.getElementById('canvas'),
    imchatShowError: showError,
    instantiateWasm: instantiateWasm,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.error(text); },
    onAbort: function (what) {
      showError('imchat stopped unexpectedly (' + what + '). Reload the page to start again.');
    },
  };

  var script = document.createElement('script');
  script.src = 'imchat.js';
  script.async = true;
  script.onerror = function () {
    showError('imchat could not be loaded. Check the connection and reload the page.');
  };
  document.body.appendChild(script);
})();
