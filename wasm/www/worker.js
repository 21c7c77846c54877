// Runs the verifier off the page's thread, so the tab stays responsive
// however long the ballots take. One worker per verification: a fresh wasm
// instance each time, so an out-of-memory trap cannot leave a broken one.
// The verifier is the npm package `kleroterion` (wasm/npm), unpacked beside
// the page by build.sh from the tarball it publishes.
import { init, verifyRecord, version } from './kleroterion/index.js';

const ready = init();

self.onmessage = async (event) => {
  const { files } = event.data; // [[relative path, ArrayBuffer], ...]
  try {
    await ready;
    const started = performance.now();
    let last = 0;
    const report = verifyRecord(files, { onProgress: ({ vote, ballots, total }) => {
      const now = performance.now();
      if (now - last > 100) { // at most ten progress messages a second
        last = now;
        self.postMessage({ type: 'progress', vote, ballots, total });
      }
    } });
    self.postMessage({
      type: 'result',
      report,
      ms: performance.now() - started,
      version: version(),
    });
  } catch (err) {
    const message = err instanceof WebAssembly.RuntimeError
      ? `the verifier stopped: ${err.message} (out of memory, or a bug: see the console)`
      : String((err && err.message) || err);
    self.postMessage({ type: 'error', message });
  }
};
