// Verify an assembly record directory: the report as the conformance kit writes it.
import { readFileSync } from 'node:fs';
import { loadAssemblyDir, readAnchors } from './load.js';
import { verifyAssembly } from './assembly.js';
import { DecodeError } from './bytes.js';

/** Returns [{ section, checks: [[id, outcome, reason?]] }]. Throws InputError/Unsupported. */
export function verifyDir(dir, anchors) {
  const loaded = loadAssemblyDir(dir);
  if (loaded.r1) return [{ section: 'Record', checks: [['R1', 'failed', loaded.r1]] }];
  return verifyAssembly(loaded.rec, anchors);
}

export function loadAnchorsFile(path) {
  return readAnchors(readFileSync(path, 'utf8'));
}

export { DecodeError };
