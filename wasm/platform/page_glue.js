// Emscripten JS library: the few functions C++ cannot write itself (see shell/glue.js).
mergeInto(LibraryManager.library, {});
