#!/usr/bin/env node
// Conformance-kit runner (test-vectors/conformance/README.md): applies each case's edits to
// a copy of the base record, verifies it and compares the report with the expected one.
// Usage: node src/runner.js [KIT_DIR] [--verbose] [--case NAME] [--no-memo] [--shards N] [--omit IDS]
// KIT_DIR defaults to $JS_VERIFIER_KIT, then to the repository's test-vectors/conformance.
// Each case's "base" names its base record directory in the kit (an assembly record, or a
// pool draw record holding pool-draw.json); its anchors are anchorsFor(base) below. Every
// base is implemented here, so no case is skipped.
// With --shards N every vote's ballots are verified in N shards, split by position and then
// by ballot id, and merged (spec/record.md §4.1); each merged report must equal `expected`.
import { readFileSync, readdirSync, mkdtempSync, cpSync, rmSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseJson } from './json.js';
import { applyEdit } from './kit.js';
import { readAnchors, InputError } from './load.js';
import { verifyDir } from './verify.js';
import { enableMemo } from './memo.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const valueOf = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : null);
const only = valueOf('--case');
const shardCount = valueOf('--shards') === null ? null : Number(valueOf('--shards'));
// --omit F1,F6: drop these checks from this verifier's reports and from the expected ones
// before comparing, to run a kit written before a spec change that added or retired them
// (e.g. a branch's kit); never used by test.sh. JS_VERIFIER_OMIT=F1,F6 does the same for test.sh.
const omit = new Set((valueOf('--omit') || process.env.JS_VERIFIER_OMIT || '').split(',').filter(Boolean));
const kit = resolve(args.find((a, i) => !a.startsWith('--') && !['--case', '--shards', '--omit'].includes(args[i - 1])) || process.env.JS_VERIFIER_KIT || join(here, '../../../test-vectors/conformance'));

/**
 * The published anchors of a base (test-vectors/conformance/README.md, "Bases"): the kit's
 * `anchors.json` for the base `assembly`, `<base>.anchors.json` for every other base
 * (finding 54, resolved).
 */
function anchorsFor(base) {
  if (base === 'assembly') return readFileSync(join(kit, 'anchors.json'), 'utf8');
  return readFileSync(join(kit, `${base}.anchors.json`), 'utf8');
}

function runCase(name) {
  const c = parseJson(readFileSync(join(kit, 'cases', name, 'case.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), `kit-${name}-`));
  try {
    cpSync(join(kit, c.base), dir, { recursive: true });
    const state = { anchors: anchorsFor(c.base) };
    for (const e of c.edits) applyEdit(dir, state, e);
    const anchors = c.anchors === 'published' && state.anchors !== null ? readAnchors(state.anchors) : null;
    const splits = shardCount === null ? [null] : [{ n: shardCount, by: 'position' }, { n: shardCount, by: 'id' }];
    const diffs = [];
    let report;
    for (const shards of splits) {
      report = verifyDir(dir, anchors, shards === null ? {} : { shards }).map((s) => ({ ...s, checks: s.checks.filter(([id]) => !omit.has(id)) }));
      diffs.push(...compare(report, c.expected).map((d) => (shards ? `[${shards.n} shards by ${shards.by}] ${d}` : d)));
    }
    return { name, status: diffs.length ? 'FAIL' : 'pass', diffs, report };
  } catch (e) {
    if (e instanceof InputError) return { name, status: 'FAIL', diffs: [`input error (no report): ${e.message}`] };
    return { name, status: 'FAIL', diffs: [`verifier error: ${e.stack}`] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Differences between a report and an expected one (sections, ids, outcome words). */
function compare(report, expected) {
    const got = report.map((s) => ({ section: s.section, checks: s.checks.map(([id, o]) => [id, o]) }));
    const want = expected.map((s) => ({ section: s.section, checks: s.checks.filter(([id]) => !omit.has(id)) }));
    const diffs = [];
    const n = Math.max(got.length, want.length);
    for (let i = 0; i < n; i++) {
      const g = got[i], w = want[i];
      if (!g || !w || g.section !== w.section) {
        diffs.push(`section ${i}: got ${g && g.section}, expected ${w && w.section}`);
        continue;
      }
      const m = Math.max(g.checks.length, w.checks.length);
      for (let k = 0; k < m; k++) {
        const gc = g.checks[k] || [], wc = w.checks[k] || [];
        if (gc[0] !== wc[0] || gc[1] !== wc[1]) {
          const reason = (report[i].checks[k] || [])[2];
          diffs.push(`${w.section} ${wc[0]}: got ${gc[0]}=${gc[1]}${reason ? ` (${reason})` : ''}, expected ${wc[1]}`);
        }
      }
    }
    return diffs;
}

if (!args.includes('--no-memo')) enableMemo();
const cases = readdirSync(join(kit, 'cases')).filter((n) => existsSync(join(kit, 'cases', n, 'case.json'))).sort();
const results = [];
for (const name of cases) {
  if (only && name !== only) continue;
  const t0 = Date.now();
  const r = runCase(name);
  results.push(r);
  console.log(`${r.status.padEnd(11)} ${name} (${Date.now() - t0} ms)`);
  if (r.status !== 'pass' || verbose) for (const d of r.diffs) console.log(`    ${d}`);
  if (verbose && r.report) for (const s of r.report) for (const [id, o, why] of s.checks) if (o !== 'ok') console.log(`    ${s.section} ${id} ${o}${why ? `: ${[].concat(why).join('; ')}` : ''}`);
}
const count = (s) => results.filter((r) => r.status === s).length;
console.log(`\n${count('pass')} of ${results.length} cases reproduced, ${count('FAIL')} failed`);
process.exit(count('FAIL') > 0 ? 1 : 0);
