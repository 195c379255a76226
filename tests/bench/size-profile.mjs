// Where a wasm's bytes go: the code of every function, summed by crate and module (from the name section that
// cargo's output keeps; Trunk's wasm-opt strips it from what ships, so the figures are before wasm-opt, raw bytes,
// and show proportions). Usage: node tests/bench/size-profile.mjs NAME=WASM... ; writes target/bench/size.json.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

function leb(b, i) {
  let r = 0, s = 0, x;
  do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, i];
}

/** { code, data, byModule: {module: bytes} } of one wasm file. */
function profile(bytes) {
  let i = 8, imports = 0, data = 0;
  const bodies = [], names = new Map();
  while (i < bytes.length) {
    const id = bytes[i++];
    let size; [size, i] = leb(bytes, i);
    const end = i + size;
    if (id === 2) { // imports: count the functions, whose indexes come first
      let n, j; [n, j] = leb(bytes, i);
      for (let k = 0; k < n; k++) {
        let l; [l, j] = leb(bytes, j); j += l; [l, j] = leb(bytes, j); j += l;
        const kind = bytes[j++];
        if (kind === 0) { [, j] = leb(bytes, j); imports++; }
        else if (kind === 1) { j++; let f; [f, j] = leb(bytes, j); [, j] = leb(bytes, j); if (f & 1) [, j] = leb(bytes, j); }
        else if (kind === 2) { let f; [f, j] = leb(bytes, j); [, j] = leb(bytes, j); if (f & 1) [, j] = leb(bytes, j); }
        else if (kind === 3) j += 2;
        else if (kind === 4) { [, j] = leb(bytes, j); }
      }
    } else if (id === 10) {
      let n, j; [n, j] = leb(bytes, i);
      for (let k = 0; k < n; k++) { let l, j2; [l, j2] = leb(bytes, j); bodies.push(j2 - j + l); j = j2 + l; }
    } else if (id === 11) {
      data += size;
    } else if (id === 0) {
      let l, j; [l, j] = leb(bytes, i);
      const name = new TextDecoder().decode(bytes.subarray(j, j + l)); j += l;
      if (name === 'name') {
        while (j < end) {
          const sub = bytes[j++]; let ss; [ss, j] = leb(bytes, j); const se = j + ss;
          if (sub === 1) {
            let n; [n, j] = leb(bytes, j);
            for (let k = 0; k < n; k++) {
              let idx, nl; [idx, j] = leb(bytes, j); [nl, j] = leb(bytes, j);
              names.set(idx, new TextDecoder().decode(bytes.subarray(j, j + nl))); j += nl;
            }
          }
          j = se;
        }
      }
    }
    i = end;
  }
  const byModule = {};
  let code = 0;
  bodies.forEach((size, k) => { const m = moduleOf(names.get(imports + k) ?? '?'); byModule[m] = (byModule[m] ?? 0) + size; code += size; });
  return { code, data, byModule };
}

/** A legacy-mangled Rust symbol (`_ZN` length-prefixed parts `E`) as a path; other names as they are. */
function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    let j = i;
    while (/[0-9]/.test(name[j])) j++;
    const len = Number(name.slice(i, j));
    parts.push(name.slice(j, j + len));
    i = j + len;
  }
  const escapes = { LT: '<', GT: '>', RF: '&', BP: '*', C: ',', SP: '@', u20: ' ', u27: "'", u5b: '[', u5d: ']', u7b: '{', u7d: '}', u3b: ';' };
  return parts.join('::').replace(/^_\$/, '$').replace(/\$([A-Za-z0-9]+)\$/g, (m, e) => escapes[e] ?? m).replace(/\.\./g, '::');
}

/** `crate::module` of a Rust symbol (the path of the function, or of the type of an impl). */
function moduleOf(name) {
  const n = demangle(name).replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, '');
  const m = n.match(/^<?&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)(?:::([A-Za-z_][A-Za-z0-9_]*))?/);
  if (!m) return 'other';
  const [, krate, module] = m;
  return module && /^(concord_|core$|alloc$|std$|yew$|serde_json$)/.test(krate) ? `${krate}::${module}` : krate;
}

const out = {};
for (const arg of process.argv.slice(2)) {
  const [name, path] = arg.split('=');
  const p = profile(readFileSync(path));
  const top = Object.entries(p.byModule).sort((a, b) => b[1] - a[1]).slice(0, 20);
  out[name] = { code: p.code, data: p.data, top };
  console.log(`${name}: code ${p.code} B, data ${p.data} B`);
  for (const [m, b] of top) console.log(`  ${String(b).padStart(8)}  ${(100 * b / p.code).toFixed(1).padStart(5)} %  ${m}`);
}
mkdirSync('target/bench', { recursive: true });
writeFileSync('target/bench/size.json', JSON.stringify(out, null, 2));
