// The edits of a conformance-kit case (test-vectors/conformance/README.md, "Edits").
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, stringifyJson } from './json.js';

/** Resolve an RFC 6901 pointer to [parent, key]. */
function pointerParent(doc, pointer) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
    if (cur === undefined) throw new Error(`pointer ${pointer} does not resolve`);
  }
  const last = parts[parts.length - 1];
  return [cur, Array.isArray(cur) ? Number(last) : last];
}

function overwrite(s, at, text) {
  if (at + text.length > s.length) throw new Error('overwrite beyond the end');
  return s.slice(0, at) + text + s.slice(at + text.length);
}

/** Apply one edit (README "Edits") to the record directory or the anchors text. */
export function applyEdit(dir, state, e) {
  const isAnchors = e.file === 'anchors.json';
  const path = join(dir, e.file);
  const read = () => (isAnchors ? state.anchors : readFileSync(path, 'utf8'));
  const write = (t) => (isAnchors ? (state.anchors = t) : writeFileSync(path, t));
  if (e.delete === true && e.line === undefined) {
    if (isAnchors) state.anchors = null;
    else rmSync(path);
  } else if (e.pointer !== undefined) {
    const doc = parseJson(read());
    const [parent, key] = pointerParent(doc, e.pointer);
    if (e.value !== undefined) parent[key] = e.value;
    else parent[key] = overwrite(parent[key], Number(e.at), e.text);
    write(stringifyJson(doc) + '\n');
  } else if (e.line !== undefined) {
    const lines = read().split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const i = Number(e.line) - 1;
    if (e.insert !== undefined) lines.splice(i, 0, e.insert);
    else if (e.delete === true) lines.splice(i, 1);
    else if (e.value !== undefined) lines[i] = e.value;
    else lines[i] = overwrite(lines[i], Number(e.at), e.text);
    write(lines.map((l) => l + '\n').join(''));
  } else if (e.text !== undefined) write(e.text);
  else throw new Error(`unknown edit ${JSON.stringify(e)}`);
}

