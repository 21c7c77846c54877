// kleroterion for Node: the same module as index.js, but init() without an
// argument reads the .wasm file from disk (Node's fetch does not read file:
// URLs). Selected by the "node" condition of package.json's "exports".
import { readFile } from 'node:fs/promises';
import { init as initFrom } from './index.js';

export { verifyRecord, verifyVote, checks, version } from './index.js';

/**
 * Loads the WebAssembly module: from `source` if given (as in index.js),
 * else from the package's own `pkg/kleroterion_wasm_bg.wasm`.
 */
let file = null;
export function init(source) {
  if (source !== undefined) return initFrom(source);
  file ??= readFile(new URL('./pkg/kleroterion_wasm_bg.wasm', import.meta.url));
  return initFrom(file);
}
