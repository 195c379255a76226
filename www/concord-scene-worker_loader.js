// Starts the 3D mode's concord-scene-worker Web Worker, as concord-worker_loader.js does annotator mode's.
importScripts('./concord-scene-worker.js');
wasm_bindgen({ module_or_path: './concord-scene-worker_bg.wasm' });
