// Types of the `kleroterion` package: the kleroterion record verifier,
// compiled to WebAssembly, for the browser and Node.
//
// The checks are those of the Rust crate's specification (spec/record.md §4,
// spec/anchors.md, spec/sortition.md): A anchors, B beacon, S draw, E each
// vote, R1 a record file that does not decode; for a pool draw record
// (spec/pool-draw.md, `pool-draw.json`), P1–P10 the draw and what its
// announcement binds, F2–F5, F7 its fairness.

/** What `init` accepts: the .wasm file's URL, a `Response`, its bytes or a compiled module. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module;

/**
 * Loads the WebAssembly module; call (and await) it once before anything
 * else. Without `source`, the browser build fetches `pkg/kleroterion_wasm_bg.wasm`
 * from beside the package's `index.js` (bundlers that rewrite
 * `new URL(…, import.meta.url)` handle it; otherwise pass the file's URL,
 * exported as `kleroterion/kleroterion_wasm_bg.wasm`), and the Node build
 * reads it from disk. Calling it again returns the first call's promise; a
 * failed load may be retried.
 */
export function init(source?: WasmSource | Promise<WasmSource>): Promise<void>;

/** A file's contents: bytes, or text (encoded as UTF-8). */
export type FileContents = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/**
 * The files of a record by relative path (`/`-separated; a leading `./` or
 * `/` and `\` separators are accepted): a `Map`, an iterable of
 * `[path, contents]` pairs, or a plain object.
 */
export type RecordFiles =
  | ReadonlyMap<string, FileContents>
  | Iterable<readonly [string, FileContents]>
  | { readonly [path: string]: FileContents };

/** One vote's anchor (spec/anchors.md). */
export interface VoteAnchor {
  /** The vote's name (its directory under `votes/`). */
  name: string;
  /** The manifest hash, 64 hex digits. */
  manifest: string;
  /** The trustees digest, 64 hex digits. */
  trustees: string;
  /** Who may vote: the seated delegates, or the polity. */
  electorate: 'seated' | 'open';
}

/**
 * The anchors an organiser publishes outside the record, each before the
 * event it fixes (spec/anchors.md). Obtain them from the organiser's
 * publications, never from the record itself.
 */
export interface Anchors {
  version: number;
  /** The beacon's chain id, 64 hex digits. */
  beacon_chain: string;
  /** The draw announcement's (or panel announcement's) hash, 64 hex digits. */
  announcement: string;
  /**
   * For a draw seeded by drand: when a party the auditor trusts saw the
   * announcement hash published (Unix time, seconds); checks S16 and P7.
   */
  announcement_published?: number;
  /** Every vote, in order (empty for a pool draw). */
  votes: VoteAnchor[];
}

/** Ballots read so far of a vote, and the ballots its tally counts. */
export interface Progress {
  vote: string;
  ballots: number;
  total: number;
}

export interface VerifyOptions {
  /** Called while ballots are read (informational; what it throws is ignored). */
  onProgress?: (progress: Progress) => void;
}

export interface VerifyRecordOptions extends VerifyOptions {
  /**
   * The published anchors: the `anchors.json` file (text or bytes) or its
   * parsed JSON. Without them (and without an `anchors.json` among the
   * files), the anchored checks are `not anchored` and the verdict is at best
   * `incomplete`: the record agrees with itself, which does not prove it is
   * the record the organiser committed to. Giving anchors here when the
   * files also hold an `anchors.json` is an error.
   */
  anchors?: Anchors | string | Uint8Array | ArrayBuffer;
}

/** A check's outcome (spec/record.md §4.2). */
export type CheckStatus = 'ok' | 'failed' | 'not checked' | 'not anchored';

/** One numbered check. */
export interface Check {
  /** Number across the whole report, from 1. */
  n: number;
  /** The spec's identifier: `A1`, `B2`, `S9`, `E11`, `R1`, … */
  id: string;
  /** What the check establishes. */
  title: string;
  /** Whether it passed (`status === 'ok'`). */
  passed: boolean;
  status: CheckStatus;
  /**
   * Why it failed or was not checked or, when not anchored, the record's
   * digest to compare with the published one; `null` when it passed.
   */
  reason: string | null;
}

/**
 * A section of the report: `Anchors`, `Beacon`, `Draw`, `Vote "<name>"`, or
 * `Record` (R1); a pool draw's are `Anchors`, `Beacon`, `Pool draw` and
 * `Fairness`.
 */
export interface Section {
  title: string;
  checks: Check[];
}

/** One stratum of the draw. */
export interface StratumSummary {
  /** The stratum's value as text (hex when not printable UTF-8). */
  label: string;
  /** Entries of the roll in the stratum. */
  roll: number;
  /** Seats of the stratum. */
  quota: number;
  /** Delegates drawn. */
  selected: number;
  /** Reserves drawn. */
  reserve: number;
}

/** The outline of the draw (assembly records). */
export interface DrawSummary {
  /** The beacon round that seeded it. */
  beacon_round: number;
  delegates: number;
  reserves: number;
  strata: StratumSummary[];
}

/** One contest's announced result. */
export interface ContestSummary {
  id: string;
  kind: 'motion' | 'one-of-n' | 'approval' | 'score';
  /** The option labels, aligned with `counts`. */
  options: string[];
  /** Per option: selections, or the sum of scores. */
  counts: number[];
  /** For a motion: whether it passes (more yes than no); otherwise `null`. */
  passes: boolean | null;
}

/**
 * A vote's announced result: the *verified* result only when `verified` is
 * true (every check of the vote's section passed).
 */
export interface VoteSummary {
  /** The vote's name (its directory). */
  name: string;
  /** The election id of its manifest. */
  election: string;
  verified: boolean;
  /** Ballots tallied. */
  ballots: number;
  contests: ContestSummary[];
}

/** Whether a statement was proven. */
export type StatementStatus = 'proven' | 'not_proven' | 'refuted';

/** A check a statement rests on that did not pass. */
export interface Unmet {
  id: string;
  status: 'failed' | 'not checked' | 'not anchored' | 'not made';
}

/** What the verification established, in plain words (spec/record.md §10). */
export interface Statement {
  /** The claim when proven; otherwise prefixed `NOT PROVEN:` or `REFUTED:`. */
  text: string;
  status: StatementStatus;
  /** The checks it rests on. */
  rests_on: string[];
  /** Those of them that did not pass. */
  unmet: Unmet[];
  /** The vote it is about, if any. */
  vote: string | null;
}

/** The overall result: `incomplete` means no check failed but some were not anchored or not checked. */
export type Verdict = 'passed' | 'failed' | 'incomplete';

/** The report of one verification. */
export interface Report {
  /** An assembly record, a single vote, or a pool draw record (`pool-draw.json`). */
  kind: 'assembly' | 'vote' | 'pool-draw';
  /** Where the record was found among the files (a path prefix, `''` or ending in `/`). */
  root: string;
  sections: Section[];
  /** Checks made. */
  total: number;
  /** Checks failed. */
  failed: number;
  /** Whether every check passed (and there was one). */
  all_passed: boolean;
  verdict: Verdict;
  /** `all N checks passed`, `k of N checks FAILED`, or `k of N checks passed, j not anchored`. */
  summary: string;
  /** The draw's outline (assembly records), else `null`. */
  draw: DrawSummary | null;
  votes: VoteSummary[];
  /** Empty when a record file does not decode. */
  statements: Statement[];
  /** A feature or pool draw's fairness figures, recomputed by the verifier; else `null`. */
  fairness: FairnessFigures | null;
}

/** An exact rational in lowest terms, both integers as decimal strings (spec/json.md §7.3). */
export interface Rational {
  num: string;
  den: string;
}

/**
 * The fairness figures of a lottery (spec/record.md §10.1): each `null`
 * unless the checks establishing it passed; never read from the record but
 * `announced_gap`, the certificate's claim.
 */
export interface FairnessFigures {
  kind: "whole_roll" | "pool";
  /** Allocations or panels of the checked list. */
  m: number | null;
  /** Eligible citizens of the census, or volunteers of the pool. */
  people: number | null;
  /** p_min, the smallest selection probability. */
  min_probability: Rational | null;
  /** How many people have exactly p_min. */
  at_minimum: number | null;
  /** The certificate's bound B on any lottery's smallest probability. */
  bound: Rational | null;
  /** B − p_min. */
  gap: Rational | null;
  announced_gap: Rational | null;
}

/**
 * Verifies the record among `files`: an assembly record (the shallowest
 * `assembly.json`, with `roll.txt` and `votes/<name>/{record.json,
 * ballots.txt, challenged.txt}`), otherwise a single vote's directory (one
 * `record.json`). Other files are ignored, except an `anchors.json`, which
 * is read as the published anchors.
 *
 * A record file that is there but does not decode gives a report whose only
 * check, R1, failed. Throws an `Error` with a readable message when the files
 * are not a record (neither `assembly.json` nor `record.json`, several vote
 * records, a missing vote file) or are of the wrong type.
 */
export function verifyRecord(files: RecordFiles, options?: VerifyRecordOptions): Report;

/** One vote's three files (spec/record.md §7). */
export interface VoteFiles {
  /** `record.json`. */
  record: FileContents;
  /** `ballots.txt`. */
  ballots: FileContents;
  /** `challenged.txt`. */
  challenged: FileContents;
}

/** Verifies one vote from its three files; otherwise as `verifyRecord`. */
export function verifyVote(vote: VoteFiles, options?: VerifyOptions): Report;

/** Every check of a report, in order across its sections. */
export function checks(report: Report): Check[];

/** The verifier's version (the Rust crate `kleroterion-wasm`). */
export function version(): string;
