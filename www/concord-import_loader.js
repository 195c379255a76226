// Starts the concord-import Web Worker: its wasm-bindgen glue (no-modules), then its wasm, passed as one object (the
// initialisation form wasm-bindgen does not warn about). A file, so the CSP's worker-src 'self' allows it.
importScripts('./concord-import.js');
wasm_bindgen({ module_or_path: './concord-import_bg.wasm' });
