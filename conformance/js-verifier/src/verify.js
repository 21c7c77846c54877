// Verify an assembly record directory: the report as the conformance kit writes it.
import { readFileSync } from 'node:fs';
import { loadAssemblyDir, readAnchors } from './load.js';
import { verifyAssembly } from './assembly.js';

/** Returns [{ section, checks: [[id, outcome, reason?]] }]. Throws InputError for a missing file. */
export function verifyDir(dir, anchors, opts = {}) {
  const loaded = loadAssemblyDir(dir);
  if (loaded.r1) return [{ section: 'Record', checks: [['R1', 'failed', loaded.r1]] }];
  return verifyAssembly(loaded.rec, anchors, opts);
}

export function loadAnchorsFile(path) {
  return readAnchors(readFileSync(path, 'utf8'));
}
