// The page: collects the selected or dropped files, hands them to the
// verifier in a Web Worker, and shows every numbered check and the votes.

// Only these files are read: a record's (spec/record.md §7) and the
// published anchors (spec/anchors.md) dropped beside it; others in a
// selected folder are neither read nor sent.
const RECORD_FILES = new Set(['assembly.json', 'roll.txt', 'record.json', 'ballots.txt', 'challenged.txt', 'anchors.json', 'pool-draw.json']);
// The verifier holds every file in wasm memory (at most 4 GiB): beyond this,
// the command-line verifier, which streams, is the tool.
const MAX_BYTES = 1024 * 1024 * 1024;

const $ = (id) => document.getElementById(id);
let worker = null;

function setStatus(text, state) {
  $('status').textContent = text;
  document.body.dataset.state = state; // idle | reading | verifying | done | error
}

// Completed verifications (results or errors), for tests and scripts.
let runs = 0;
function completed() {
  runs += 1;
  document.body.dataset.runs = runs;
}

function showError(message) {
  completed();
  $('error').textContent = message;
  $('error').hidden = false;
  $('result').hidden = true;
  setStatus('Could not verify the record.', 'error');
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'data') Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

// [{ path, file }] → verification in a worker.
async function verify(entries) {
  $('error').hidden = true;
  $('result').hidden = true;
  const wanted = entries.filter((e) => RECORD_FILES.has(e.path.split('/').pop()));
  const ignored = entries.length - wanted.length;
  if (wanted.length === 0) {
    showError(entries.length === 0
      ? 'No files were selected.'
      : `None of the ${entries.length} files is part of a record (assembly.json, roll.txt, ` +
        'record.json, ballots.txt, challenged.txt, pool-draw.json).');
    return;
  }
  const bytes = wanted.reduce((s, e) => s + e.file.size, 0);
  if (bytes > MAX_BYTES) {
    showError(`The record is ${(bytes / 2 ** 20).toFixed(0)} MiB: too large to verify in a ` +
      `browser (limit ${MAX_BYTES / 2 ** 20} MiB). Use the kleroterion command-line verifier, ` +
      'which streams the ballots.');
    return;
  }
  setStatus(`Reading ${wanted.length} files (${(bytes / 1024).toFixed(0)} KiB)` +
    (ignored ? `, ignoring ${ignored} other files` : '') + '…', 'reading');
  let files;
  try {
    files = await Promise.all(wanted.map(async (e) => [e.path, await e.file.arrayBuffer()]));
  } catch (err) {
    showError(`Could not read the files: ${err.message || err}`);
    return;
  }
  if (worker) worker.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  setStatus('Verifying…', 'verifying');
  const pace = progressLine();
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') {
      setStatus(pace(data.vote, data.ballots, data.total), 'verifying');
    } else if (data.type === 'result') {
      render(data.report);
      $('version').textContent = `Verifier ${data.version}.`;
      setStatus(`Verified in ${(data.ms / 1000).toFixed(1)} s.`, 'done');
      completed();
      worker.terminate();
      worker = null;
    } else {
      showError(data.message);
      worker.terminate();
      worker = null;
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    showError(`The verifier could not start: ${e.message || 'see the console'}`);
  };
  worker.postMessage({ files }, files.map(([, b]) => b));
}

// "Verifying vote "x": 1,024 of 10,000 ballots (10%), about 12 s left…", the
// rate measured from the vote's first progress message.
function progressLine() {
  let vote = null;
  let since = 0;
  let from = 0;
  return (name, ballots, total) => {
    const now = performance.now();
    if (name !== vote) {
      vote = name;
      since = now;
      from = ballots;
    }
    const n = ballots.toLocaleString('en');
    if (!(total > 0)) return `Verifying vote "${name}": ${n} ballots checked…`;
    const pct = Math.min(100, Math.floor((100 * ballots) / total));
    let left = '';
    const rate = (ballots - from) / ((now - since) / 1000);
    if (ballots > from && now - since > 500 && rate > 0) {
      const s = Math.max(0, (total - ballots) / rate);
      left = s < 90 ? `, about ${Math.ceil(s)} s left` : `, about ${Math.ceil(s / 60)} min left`;
    }
    return `Verifying vote "${name}": ${n} of ${total.toLocaleString('en')} ballots (${pct}%)${left}…`;
  };
}

function render(report) {
  const summary = $('summary');
  const mark = { passed: '✔', failed: '✘', incomplete: '⚠' }[report.verdict] || '✘';
  // A failed check, a record file that does not decode (R1) among them,
  // means the record is not valid: said in so many words, in red.
  summary.textContent = report.verdict === 'failed'
    ? `${mark} This record is not valid: ${report.summary}`
    : `${mark} ${report.summary}`;
  summary.className = { passed: 'ok', failed: 'bad', incomplete: 'warn' }[report.verdict] || 'bad';
  summary.dataset.verdict = report.verdict;
  summary.dataset.total = report.total;
  summary.dataset.failed = report.failed;
  const unanchored = report.sections.some((sec) => sec.checks.some((c) => c.status === 'not anchored'));
  if (unanchored && report.verdict !== 'failed') {
    summary.append(el('p', { class: 'explain' },
      'Not proven: this record agrees with itself, but nothing here shows it is the record the '
      + 'organiser committed to. Compare each digest marked NOT ANCHORED with the one published '
      + 'outside the record (gazette, newspapers, websites), or add the published anchors.json '
      + 'file to the files you drop here.'));
  }

  renderStatements(report.statements || []);

  const votes = $('votes');
  votes.replaceChildren(...report.votes.map(renderVote));

  const draw = $('draw');
  draw.replaceChildren();
  if (report.draw) {
    const d = report.draw;
    draw.append(el('div', { class: 'card', id: 'draw-card' },
      el('h3', {}, `Draw: ${d.delegates} delegates and ${d.reserves} reserves, seeded by beacon round ${d.beacon_round}`),
      el('table', { class: 'counts' }, ...d.strata.map((s) => el('tr', {},
        el('td', {}, s.label), el('td', {}, `${s.selected} of ${s.quota} seats`),
        el('td', {}, `${s.reserve} reserves`), el('td', {}, `${s.roll} on the roll`)))),
    ));
  }

  let delay = 0;
  $('sections').replaceChildren(...report.sections.map((section) =>
    el('div', { class: 'section' },
      el('h2', {}, section.title),
      el('ol', { class: 'checks' }, ...section.checks.map((c) => {
        const cls = { ok: 'ok', failed: 'failed', 'not checked': 'unchecked', 'not anchored': 'unanchored' }[c.status] || 'failed';
        const li = el('li', { class: `check ${cls}`, data: { id: c.id, n: c.n, status: c.status } },
          el('span', { class: 'n' }, `${c.n}.`),
          el('span', { class: 'id' }, c.id),
          el('span', { class: 'state' }, c.passed ? 'ok' : c.status.toUpperCase()),
          el('span', { class: 'title' }, c.title));
        if (c.reason) li.append(el('span', { class: 'reason' }, c.reason));
        li.style.animationDelay = `${Math.min(delay, 1500)}ms`;
        delay += 25;
        return li;
      })))));
  $('result').hidden = false;
}

// The plain statements (spec/record.md §10), above the numbered checks: each
// proven, not proven or refuted, with the checks it rests on.
function renderStatements(statements) {
  const box = $('statements');
  box.replaceChildren();
  if (statements.length === 0) return;
  const mark = { proven: '✔', not_proven: '⚠', refuted: '✘' };
  const word = { proven: 'proven', not_proven: 'not proven', refuted: 'refuted' };
  box.append(el('h2', {}, 'What this verification establishes'),
    el('ul', { class: 'statements' }, ...statements.map((s) => el('li',
      { class: `statement ${s.status}`, data: { status: s.status, vote: s.vote ?? '' } },
      el('span', { class: 'mark', title: word[s.status] || s.status }, mark[s.status] || '✘'),
      el('span', { class: 'text' }, s.text),
      el('span', { class: 'rests' }, `rests on ${s.rests_on.join(' ')}`)))));
}

function renderVote(v) {
  const card = el('div', { class: 'card vote', data: { name: v.name, verified: v.verified } },
    el('h3', {}, `Vote "${v.name}" `,
      el('span', { class: `tag ${v.verified ? 'ok' : 'bad'}` }, v.verified ? 'verified' : 'NOT verified')),
    el('div', { class: 'hint' }, `${v.election} — ${v.ballots} ballots` +
      (v.verified ? '' : ' — announced result, which the checks below do not confirm')));
  for (const c of v.contests) {
    const max = Math.max(1, ...c.counts);
    const rows = c.counts.map((n, i) => el('tr', {},
      el('td', {}, c.options[i] ?? `option ${i + 1}`),
      el('td', {}, String(n)),
      el('td', {}, el('span', {
        // A result the checks do not confirm is drawn hatched and grey,
        // never with the bars of a verified one.
        class: v.verified ? 'bar' : 'bar unverified',
        style: `width:${(12 * n / max).toFixed(2)}rem`,
        title: v.verified ? 'verified count' : 'announced count, not verified',
      }))));
    const outcome = c.passes === null ? ''
      : `${v.verified ? '' : ' (announced, not verified)'}: the motion ${c.passes ? 'passes' : 'fails'}`;
    if (!v.verified) rows.push(el('tr', {}, el('td', { class: 'not-verified', colspan: '3' }, 'not verified')));
    card.append(el('div', { class: 'contest', data: { id: c.id, passes: c.passes } },
      el('strong', {}, `${c.id === c.kind ? c.id : `${c.id} (${c.kind})`}${outcome}`),
      el('table', { class: 'counts' }, ...rows)));
  }
  return card;
}

// A FileList from an <input>: paths relative to the selected folder's parent.
function fromInput(input) {
  return [...input.files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

// Dropped items: folders are walked with the entries API.
async function fromDrop(dataTransfer) {
  const entries = [...dataTransfer.items]
    .map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry())
    .filter(Boolean);
  if (entries.length === 0) return [...dataTransfer.files].map((file) => ({ path: file.name, file }));
  const out = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ path: entry.fullPath.replace(/^\//, ''), file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) { // readEntries returns the children in batches
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

for (const id of ['folder', 'files']) {
  $(id).addEventListener('change', (e) => {
    verify(fromInput(e.target));
    e.target.value = ''; // choosing the same folder again verifies again
  });
}
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  try {
    verify(await fromDrop(e.dataTransfer));
  } catch (err) {
    showError(`Could not read the dropped files: ${err.message || err}`);
  }
});
setStatus('Waiting for a record.', 'idle');
