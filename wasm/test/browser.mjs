// Browser test of the verifier page: serves wasm/www/ on 127.0.0.1, drives
// Debian's Chromium headless with playwright-core, selects record folders
// through the page's folder input and asserts on the checks it shows.
//
//   node test/browser.mjs <good record dir>
//
// From the good record it makes tampered copies (a changed result, a changed
// ballot, a cut assembly.json, a changed byte of an encrypted tally) and bad
// inputs (a missing ballots.txt, a folder without a record),
// and saves screenshot-good.png and screenshot-tampered.png next to itself.
import { createServer } from 'node:http';
import { readFile, cp, mkdtemp, writeFile, rm, mkdir } from 'node:fs/promises';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const www = path.resolve(here, '..', 'www');
const good = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: node test/browser.mjs <record dir>');
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
};

function serve(root) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = path.join(root, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// The published anchors the example wrote beside the record
// (spec/anchors.md); the page takes a file named anchors.json among the
// selected files.
const anchorsFile = `${good}.anchors.json`;

// The record's folder as `record/` in a fresh temporary directory, with the
// published anchors.json added (unless `anchored` is false), edited by
// `edit(dir)`.
async function copy(name, edit, anchored = true) {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), `kleroterion-${name}-`)), 'record');
  await cp(good, dir, { recursive: true });
  if (anchored) await cp(anchorsFile, path.join(dir, 'anchors.json'));
  await edit(dir);
  return dir;
}

// The first vote's name, from the assembly record.
function firstVote(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'assembly.json'), 'utf8')).votes[0].name;
}

// Adds one "yes" to the first vote's announced result (the hex of its
// canonical encoding ends with yes, no, abstain as little-endian u64), in
// assembly.json and the vote's record.json, by replacing the hex string in
// place so nothing else of the JSON changes.
async function addYes(dir) {
  const vote = firstVote(dir);
  const result = JSON.parse(readFileSync(path.join(dir, 'assembly.json'), 'utf8')).votes[0].record.result;
  const bytes = Buffer.from(result, 'hex');
  bytes[bytes.length - 24] = (bytes[bytes.length - 24] + 1) & 0xff;
  const bumped = bytes.toString('hex');
  for (const file of ['assembly.json', `votes/${vote}/record.json`]) {
    const p = path.join(dir, file);
    const text = readFileSync(p, 'utf8');
    assert.ok(text.includes(result), `${file} holds the result`);
    await writeFile(p, text.replace(result, bumped));
  }
}

// Changes one hex digit in the middle of the first cast ballot's encoding
// (the line is `code ballot [eligibility proof]`).
async function changeBallot(dir) {
  const p = path.join(dir, 'votes', firstVote(dir), 'ballots.txt');
  const lines = readFileSync(p, 'utf8').split('\n');
  const fields = lines[0].split(' ');
  const b = fields[1];
  const i = b.length >> 1;
  fields[1] = b.slice(0, i) + (b[i] === '0' ? '1' : '0') + b.slice(i + 1);
  lines[0] = fields.join(' ');
  await writeFile(p, lines.join('\n'));
}

const server = await serve(www);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  // wasm/test.sh passes the one `command -v chromium` finds.
  executablePath: process.env.CHROMIUM || 'chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const temps = [];
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`${m.text()} (${m.location().url})`); });
  let t = performance.now();
  await page.goto(url);
  await page.waitForSelector('body[data-state="idle"]');
  console.log(`page loaded in ${(performance.now() - t).toFixed(0)} ms`);

  // Selects `dir` in the folder input and waits for the page to finish.
  async function select(label, dir) {
    const before = Number(await page.evaluate(() => document.body.dataset.runs ?? 0));
    const start = performance.now();
    await page.setInputFiles('#folder', dir);
    await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before,
      { timeout: 180_000 });
    const state = await page.evaluate(() => document.body.dataset.state);
    const status = await page.textContent('#status');
    console.log(`${label}: ${state} in ${((performance.now() - start) / 1000).toFixed(2)} s (${status})`);
    return state;
  }
  const checks = () => page.$$eval('li.check', (lis) => lis.map((li) => ({
    id: li.dataset.id, ok: li.classList.contains('ok'),
    text: li.innerText.replace(/\s+/g, ' '), visible: li.offsetParent !== null,
  })));
  const summary = () => page.$eval('#summary', (s) => ({
    text: s.textContent, total: Number(s.dataset.total), failed: Number(s.dataset.failed),
    red: s.className === 'bad' && getComputedStyle(s).color,
  }));
  // Every status line shown, for the progress line's assertions.
  await page.evaluate(() => {
    window.statusLines = [];
    new MutationObserver(() => window.statusLines.push(document.getElementById('status').textContent))
      .observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true });
  });

  // The plain statements shown above the checks: status and text.
  const statements = () => page.$$eval('li.statement', (lis) => lis.map((li) => ({
    status: li.dataset.status, vote: li.dataset.vote, text: li.querySelector('.text').textContent,
  })));
  // Per vote: how many of its bars are drawn as not verified, and in all.
  const bars = (name) => page.$eval(`.vote[data-name="${name}"]`, (v) => ({
    unverified: v.querySelectorAll('.bar.unverified').length,
    all: v.querySelectorAll('.bar').length,
    label: v.querySelectorAll('td.not-verified').length,
  }));
  // The statements come before the numbered checks on the page.
  const statementsFirst = () => page.evaluate(() => {
    const a = document.getElementById('statements');
    const b = document.getElementById('sections');
    return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  });

  // 0. The honest record without its anchors: consistent, not proven —
  // amber, never "passed", no check failed, the digests to compare shown.
  assert.equal(await select('record without anchors', good), 'done');
  const bare = await page.$eval('#summary', (s) => ({ verdict: s.dataset.verdict, cls: s.className, text: s.textContent }));
  assert.equal(bare.verdict, 'incomplete', bare.text);
  assert.equal(bare.cls, 'warn');
  assert.doesNotMatch(bare.text, /all \d+ checks passed/);
  assert.match(bare.text, /not anchored/);
  const unanchored = await page.$$eval('li.check.unanchored', (lis) => lis.map((li) => li.dataset.id));
  assert.deepEqual(unanchored.filter((id) => id.startsWith('A')), ['A1', 'A2', 'A3']);
  assert.equal(await page.$$eval('li.check.failed', (lis) => lis.length), 0);
  // Nothing resting on an anchor is stated as proven: the draw's statement
  // says NOT PROVEN and names A1 and A2; the votes' bars are not verified.
  // Only the two facts that rest on no anchor are proven: the households
  // (S22 on the record's own selection) and the certificate's bound B (F4,
  // F5 on the quotas alone).
  let said = await statements();
  assert.ok(said.length > 0, 'statements shown');
  assert.ok(await statementsFirst(), 'statements above the checks');
  const proven = said.filter((s) => s.status === 'proven').map((s) => s.text);
  assert.equal(proven.length, 2, JSON.stringify(said));
  assert.match(proven[0], /^No two selected delegates share a household/);
  assert.match(proven[1], /^No lottery of seat allocations meeting these quotas could give/);
  assert.ok(said.every((s) => s.status === 'not_proven' || s.status === 'proven'), JSON.stringify(said));
  assert.match(said[0].text, /^NOT PROVEN: the record claims that the \d+ delegates/);
  assert.match(said[0].text, /A1, A2 are not anchored/);
  for (const name of readdirSync(path.join(good, 'votes'))) {
    const b = await bars(name);
    assert.ok(b.all > 0 && b.unverified === b.all && b.label > 0, `${name}: ${JSON.stringify(b)}`);
  }
  console.log(`  ${bare.text}`);

  // 1. The honest record with its published anchors: every check green,
  // the votes shown.
  const anchoredGood = await copy('anchored', async () => {});
  temps.push(anchoredGood);
  assert.equal(await select('good record', anchoredGood), 'done');
  // The progress line gives the vote's total ("150 of 150 ballots (100%)").
  const lines = await page.evaluate(() => window.statusLines);
  assert.ok(lines.some((l) => /Verifying vote "[^"]+": [\d,]+ of [\d,]+ ballots \(\d+%\)/.test(l)),
    `progress lines: ${lines.join(' | ')}`);
  // The footer links the spec (copied beside the page by build.sh).
  const spec = await page.$eval('#spec-link', (a) => a.href);
  assert.equal((await page.request.get(spec)).status(), 200, spec);
  let shown = await checks();
  let sum = await summary();
  assert.ok(shown.length >= 20, `only ${shown.length} checks shown`);
  assert.equal(shown.length, sum.total);
  assert.deepEqual(shown.filter((c) => !c.ok), []);
  assert.ok(shown.every((c) => c.visible));
  assert.match(sum.text, new RegExp(`all ${sum.total} checks passed`));
  for (const id of ['A1', 'B1', 'B4', 'S1', 'S16', 'E7', 'E11', 'E12', 'E15', 'E16']) {
    assert.ok(shown.some((c) => c.id === id), id);
  }
  const votes = await page.$$eval('.vote', (vs) => vs.map((v) => ({
    name: v.dataset.name, verified: v.dataset.verified, text: v.textContent,
  })));
  const voteDirs = readdirSync(path.join(good, 'votes'));
  assert.equal(votes.length, voteDirs.length);
  for (const v of votes) {
    assert.equal(v.verified, 'true', v.name);
    assert.match(v.text, /the motion (passes|fails)/);
    assert.match(v.text, /yes\d+/);
  }
  assert.match(await page.textContent('#draw'), /Draw: \d+ delegates/);
  said = await statements();
  assert.ok(said.length >= 1 + 2 * votes.length, JSON.stringify(said));
  assert.ok(said.every((s) => s.status === 'proven'), JSON.stringify(said));
  assert.match(said[0].text, /^The \d+ delegates \(and \d+ reserves\) of .* were drawn by lot from the committed roll of \d+ entries/);
  assert.ok(said.some((s) => /^Motion "[^"]+" of vote "[^"]+" (passes|does not pass)/.test(s.text)));
  for (const v of votes) {
    const b = await bars(v.name);
    assert.ok(b.all > 0 && b.unverified === 0 && b.label === 0, `${v.name}: ${JSON.stringify(b)}`);
  }
  await page.waitForTimeout(1600); // the checks' reveal animation
  await page.screenshot({ path: path.join(here, 'screenshot-good.png'), fullPage: true });
  console.log(`  ${sum.text}; votes: ${votes.map((v) => v.text.match(/^Vote "[^"]+"/)[0]).join(', ')}`);

  // 2. A changed result: E11 red, the vote not shown as verified.
  const tampered = await copy('result', addYes);
  temps.push(tampered);
  assert.equal(await select('changed result', tampered), 'done');
  shown = await checks();
  sum = await summary();
  assert.deepEqual(shown.filter((c) => !c.ok).map((c) => c.id), ['E11']);
  assert.match(shown.find((c) => c.id === 'E11').text, /FAILED/);
  assert.match(sum.text, new RegExp(`This record is not valid: 1 of ${sum.total} checks FAILED`));
  assert.ok(sum.red, 'the failed summary is red');
  const first = firstVote(good);
  assert.equal(await page.$eval(`.vote[data-name="${first}"]`, (v) => v.dataset.verified), 'false');
  // Its count and motion are refuted, and its bars are hatched, labelled
  // "not verified"; the other votes' statements stand and their bars are
  // the verified ones.
  said = await statements();
  const refuted = said.filter((s) => s.status === 'refuted');
  assert.ok(refuted.length >= 2, JSON.stringify(said));
  assert.ok(refuted.every((s) => s.vote === first && /^REFUTED: the record claims that/.test(s.text)));
  assert.ok(refuted.some((s) => /count of vote .* but E11 failed/.test(s.text)));
  assert.ok(said.filter((s) => s.vote && s.vote !== first).every((s) => s.status === 'proven'));
  const firstBars = await bars(first);
  assert.ok(firstBars.unverified === firstBars.all && firstBars.label > 0, JSON.stringify(firstBars));
  assert.match(await page.textContent(`.vote[data-name="${first}"]`), /not verified/i);
  for (const name of readdirSync(path.join(good, 'votes')).filter((n) => n !== first)) {
    assert.equal((await bars(name)).unverified, 0, name);
  }
  await page.waitForTimeout(1600);
  await page.screenshot({ path: path.join(here, 'screenshot-tampered.png'), fullPage: true });
  console.log(`  ${sum.text}: ${shown.find((c) => c.id === 'E11').text}`);

  // 3. A changed ballot: it no longer decodes (E4) or its proofs fail (E7),
  // and the published tally is then not the sum of the valid ballots (E9).
  const ballot = await copy('ballot', changeBallot);
  temps.push(ballot);
  assert.equal(await select('changed ballot', ballot), 'done');
  const red = (await checks()).filter((c) => !c.ok).map((c) => c.id);
  assert.ok(red.includes('E4') || red.includes('E7'), `failed: ${red}`);
  assert.ok(red.every((id) => ['E4', 'E7', 'E9', 'E11'].includes(id)), `failed: ${red}`);
  console.log(`  failed checks: ${red.join(', ')}`);

  // 4. A record file that does not decode is a record that is not valid
  // (R1 failed, in red), not "could not verify": a cut assembly.json, and
  // one changed hex digit of the encrypted tally.
  const cut = await copy('cut', async (dir) => {
    const p = path.join(dir, 'assembly.json');
    const text = readFileSync(p, 'utf8');
    await writeFile(p, text.slice(0, text.length >> 1));
  });
  temps.push(cut);
  const tally = await copy('tally', async (dir) => {
    const p = path.join(dir, 'assembly.json');
    const text = readFileSync(p, 'utf8');
    const t = JSON.parse(text).votes[0].record.tally;
    // Byte 5 of the first ciphertext: a changed point encoding.
    const i = 2 * 40 + 1;
    const changed = t.slice(0, i) + (t[i] === '0' ? '1' : '0') + t.slice(i + 1);
    await writeFile(p, text.replace(t, changed));
  });
  temps.push(tally);
  for (const [label, dir] of [['cut assembly.json', cut], ['changed tally byte', tally]]) {
    assert.equal(await select(label, dir), 'done');
    sum = await summary();
    assert.match(sum.text, /This record is not valid/);
    assert.ok(sum.red, 'red');
    const bad = (await checks()).filter((c) => !c.ok);
    assert.ok(bad.length > 0);
    if (label === 'cut assembly.json') {
      assert.deepEqual(bad.map((c) => c.id), ['R1']);
      assert.match(bad[0].text, /assembly\.json is not a valid record/);
    }
    console.log(`  ${sum.text}: ${bad.map((c) => c.text).join('; ').slice(0, 160)}`);
  }

  // A pool draw record (spec/pool-draw.md): the conformance kit's, with
  // its anchors dropped beside it; then its certificate tampered (P10).
  const kit = path.resolve(here, '..', '..', 'test-vectors', 'conformance');
  const pool = path.join(await mkdtemp(path.join(tmpdir(), 'kleroterion-pool-')), 'pool-draw');
  await mkdir(pool);
  temps.push(pool);
  const poolRecord = JSON.parse(readFileSync(path.join(kit, 'pool-draw', 'pool-draw.json'), 'utf8'));
  await writeFile(path.join(pool, 'anchors.json'), readFileSync(path.join(kit, 'pool-draw.anchors.json')));
  await writeFile(path.join(pool, 'pool-draw.json'), JSON.stringify(poolRecord));
  assert.equal(await select('pool draw', pool), 'done');
  sum = await summary();
  assert.match(sum.text, /all 21 checks passed/);
  const poolIds = (await checks()).map((c) => c.id);
  assert.deepEqual([poolIds[0], poolIds.at(-1)], ['A1', 'F7']);
  const cert = poolRecord.certificate;
  poolRecord.certificate = `${cert.slice(0, -64)}01${cert.slice(-62)}`;
  await writeFile(path.join(pool, 'pool-draw.json'), JSON.stringify(poolRecord));
  assert.equal(await select('pool draw, other certificate', pool), 'done');
  sum = await summary();
  assert.ok(sum.red, 'red');
  assert.deepEqual((await checks()).filter((c) => !c.ok).map((c) => c.id),
    ['P10', 'F2', 'F3', 'F4', 'F5', 'F7']);

  // Bad input: a readable error, never a frozen or blank page.
  const missing = await copy('missing', async (dir) => {
    await rm(path.join(dir, 'votes', firstVote(dir), 'ballots.txt'));
  });
  temps.push(missing);
  assert.equal(await select('missing ballots.txt', missing), 'error');
  assert.match(await page.textContent('#error'), /ballots\.txt is missing/);
  console.log(`  error shown: ${await page.textContent('#error')}`);

  const empty = path.join(await mkdtemp(path.join(tmpdir(), 'kleroterion-empty-')), 'notes');
  await mkdir(empty);
  await writeFile(path.join(empty, 'readme.txt'), 'not a record');
  temps.push(empty);
  assert.equal(await select('folder without a record', empty), 'error');
  assert.match(await page.textContent('#error'), /None of the 1 files is part of a record/);

  // 5. The npm package's API (wasm/npm, the copy the page runs) as an
  // integrator calls it in a browser: one vote's three files, a whole
  // assembly record as text with the anchors given as an option, forged
  // anchors, and inputs that are not files.
  const vote = firstVote(good);
  const read = (f) => [...readFileSync(path.join(good, 'votes', vote, f))];
  const assemblyText = {};
  for (const f of readdirSync(good, { recursive: true })) {
    const p = path.join(good, f);
    if (statSync(p).isFile()) assemblyText[`rec/${f.split(path.sep).join('/')}`] = readFileSync(p, 'utf8');
  }
  const anchorsText = readFileSync(anchorsFile, 'utf8');
  const api = await page.evaluate(async ([record, ballots, challenged, files, anchors]) => {
    const m = await import('./kleroterion/index.js');
    const errors = [];
    const attempt = (f) => { try { f(); errors.push('no error'); } catch (e) { errors.push(e.message); } };
    attempt(() => m.verifyRecord({}));
    await m.init(); // fetches kleroterion_wasm_bg.wasm from beside the package
    const bytes = (a) => new Uint8Array(a);
    const one = m.verifyVote({ record: bytes(record), ballots: bytes(ballots), challenged: bytes(challenged) });
    const obj = m.verifyRecord({
      'v/record.json': bytes(record), 'v/ballots.txt': bytes(ballots).buffer,
      'v/challenged.txt': new TextDecoder().decode(bytes(challenged)),
    });
    const anchored = m.verifyRecord(new Map(Object.entries(files)), { anchors: JSON.parse(anchors) });
    const bare = m.verifyRecord(files);
    const forged = JSON.parse(anchors);
    forged.beacon_chain = forged.beacon_chain.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const other = m.verifyRecord(files, { anchors: JSON.stringify(forged) });
    for (const bad of [42, { 'record.json': 7 }, new Map()]) attempt(() => m.verifyRecord(bad));
    attempt(() => m.verifyRecord({ ...files, 'x/anchors.json': anchors }, { anchors }));
    const malformed = m.verifyVote({ record: '{', ballots: '', challenged: '' });
    const summary = (r) => ({ verdict: r.verdict, summary: r.summary, total: r.total, failed: m.checks(r).filter((c) => c.status === 'failed').map((c) => c.id) });
    return {
      one: summary(one), obj: { ...summary(obj), name: obj.votes[0].name }, anchored: summary(anchored),
      bare: { ...summary(bare), unanchored: m.checks(bare).filter((c) => c.status === 'not anchored').map((c) => c.id) },
      other: summary(other), errors, version: m.version(),
      malformed: { verdict: malformed.verdict, check: m.checks(malformed)[0] },
    };
  }, [read('record.json'), read('ballots.txt'), read('challenged.txt'), assemblyText, anchorsText]);
  assert.equal(api.one.verdict, 'passed', api.one.summary);
  assert.equal(api.obj.verdict, 'passed', api.obj.summary);
  assert.equal(api.obj.name, 'v');
  assert.equal(api.anchored.verdict, 'passed', api.anchored.summary);
  assert.equal(api.bare.verdict, 'incomplete', api.bare.summary);
  assert.deepEqual(api.bare.unanchored.filter((id) => id.startsWith('A')), ['A1', 'A2', 'A3']);
  assert.deepEqual(api.other.failed, ['A1']);
  assert.match(api.errors[0], /not loaded; call and await init\(\) first/);
  assert.match(api.errors[1], /files must be a Map, an iterable/);
  assert.match(api.errors[2], /record\.json: contents must be a string, a Uint8Array or an ArrayBuffer/);
  assert.equal(api.errors[3], 'no files were selected');
  assert.match(api.errors[4], /x\/anchors\.json: the files already hold an anchors file/);
  assert.equal(api.malformed.verdict, 'failed');
  assert.equal(api.malformed.check.id, 'R1');
  assert.match(api.malformed.check.reason, /record\.json is not a valid record/);
  assert.match(api.version, /^\d+\.\d+\.\d+/);
  console.log(`npm package API: verifyVote ${api.one.summary}; assembly with anchors: ${api.anchored.summary}; ` +
    `forged chain anchor: ${api.other.failed}; errors: ${api.errors.join(' | ')}`);

  // 6. One vote's three files dropped on the page (a synthetic drop: its
  // items have no directory entries, so the files' own names are used).
  const dropped = await page.evaluateHandle(([record, ballots, challenged]) => {
    const dt = new DataTransfer();
    for (const [name, bytes] of [['record.json', record], ['ballots.txt', ballots],
      ['challenged.txt', challenged]]) {
      dt.items.add(new File([new Uint8Array(bytes)], name));
    }
    return dt;
  }, [read('record.json'), read('ballots.txt'), read('challenged.txt')]);
  const runs = Number(await page.evaluate(() => document.body.dataset.runs));
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: dropped });
  await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, runs);
  sum = await summary();
  assert.equal(sum.failed, 0);
  assert.match(sum.text, new RegExp(`all ${api.one.total} checks passed`));
  assert.equal(await page.$$eval('.vote', (vs) => vs.length), 1);
  console.log(`dropped vote files: ${sum.text}`);

  // The page still works after errors.
  assert.equal(await select('good record again', anchoredGood), 'done');
  assert.equal((await summary()).failed, 0);

  assert.deepEqual(pageErrors, []);
  console.log('browser test passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  server.close();
  for (const t of temps) await rm(path.dirname(t), { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
