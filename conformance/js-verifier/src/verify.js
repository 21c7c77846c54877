// Verify a record directory: the report as the conformance kit writes it. A directory holding
// `pool-draw.json` is a pool draw record (spec/pool-draw.md), any other an assembly record.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAssemblyDir, readAnchors } from './load.js';
import { verifyAssembly } from './assembly.js';
import { verifyPoolDir } from './pool.js';

/** Returns [{ section, checks: [[id, outcome, reason?]] }]. Throws InputError for a missing file. */
export function verifyDir(dir, anchors, opts = {}) {
  if (existsSync(join(dir, 'pool-draw.json'))) return verifyPoolDir(dir, anchors);
  const loaded = loadAssemblyDir(dir);
  if (loaded.r1) return [{ section: 'Record', checks: [['R1', 'failed', loaded.r1]] }];
  return verifyAssembly(loaded.rec, anchors, opts);
}

export function loadAnchorsFile(path) {
  return readAnchors(readFileSync(path, 'utf8'));
}
