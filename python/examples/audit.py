"""An auditor's notebook, as a script: verify the example record against its
anchors, read what the verification establishes, and plot the votes and the
strata of the draw.

    python python/examples/audit.py [RECORD_DIR] [--anchors FILE] [--out DIR] [--make-example]

RECORD_DIR defaults to ``target/assembly-record``; with ``--make-example``
the example record of README.md (the same bytes as ``cargo run --release
--example assembly -- --seed 1``) is made there first if it has none, with
its anchors beside it. The plots are PNGs
(matplotlib's Agg backend: no display needed) written to ``--out``
(default ``target/audit``). Each ``# %%`` cell runs as a notebook cell in
Jupyter or VS Code.
"""

# %% Setup
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import kleroterion  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("record", nargs="?", type=Path, help="an assembly record directory")
parser.add_argument("--anchors", type=Path, help="the published anchors (JSON)")
parser.add_argument("--out", type=Path, default=Path("target/audit"), help="where the PNGs go")
parser.add_argument("--make-example", action="store_true", help="make the example record if RECORD_DIR has none")
args = parser.parse_args()

record_dir: Path = args.record or Path("target/assembly-record")
anchors_file: Path = args.anchors or record_dir.with_suffix(".anchors.json")
if args.make_example and not (record_dir / "assembly.json").exists():
    print(f"making the example record in {record_dir} …")
    kleroterion.simulate(record_dir, seed=1)
    # In real life the anchors come from the gazette, not from the record.
    kleroterion.Anchors.of_record(record_dir).save(anchors_file)

# %% Verify against the published anchors
anchors = kleroterion.Anchors.load(anchors_file) if anchors_file.exists() else None
report = kleroterion.verify(record_dir, anchors=anchors)
print(report)
print(f"\nverdict: {report.verdict.value}")
for check in report.failures():
    print(f"FAILED {check.section} {check.id}: {check.reason}")

# %% The votes: verified counts only
args.out.mkdir(parents=True, exist_ok=True)
votes = report.summary["votes"] if report.summary else []
fig, axes = plt.subplots(1, max(len(votes), 1), figsize=(5 * max(len(votes), 1), 4), squeeze=False)
for ax, vote in zip(axes[0], votes):
    contest = vote["contests"][0]
    colours = ["#2a9d8f", "#e76f51", "#adb5bd"][: len(contest["options"])]
    ax.bar(contest["options"], contest["counts"], color=colours)
    verified = "verified" if vote["count_verified"] else "NOT verified"
    outcome = {True: "passes", False: "fails", None: ""}[contest.get("passes")]
    ax.set_title(f'{vote["name"]}: {vote["ballots"]} ballots ({verified}) {outcome}')
    ax.set_ylabel("ballots")
    for x, n in enumerate(contest["counts"]):
        ax.annotate(str(n), (x, n), ha="center", va="bottom")
fig.tight_layout()
votes_png = args.out / "votes.png"
fig.savefig(votes_png, dpi=100)
plt.close(fig)

# %% The strata: roll, quota, delegates seated
selection = kleroterion.AssemblyRecord.read(record_dir).selection
strata = [bytes.fromhex(s["count"]["value"]).decode(errors="replace") for s in selection["strata"]]
sizes = [s["count"]["size"] for s in selection["strata"]]
quotas = [s["quota"] for s in selection["strata"]]
reserves = [len(s["reserve"]) for s in selection["strata"]]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.bar(strata, sizes, color="#457b9d")
left.set_title(f"roll: {sum(sizes)} consenting citizens")
left.set_ylabel("citizens")
right.bar(strata, quotas, color="#1d3557", label="seats")
right.bar(strata, reserves, bottom=quotas, color="#a8dadc", label="reserves")
right.set_title(f"draw: {sum(quotas)} seats, proportional to the roll")
right.legend()
fig.tight_layout()
strata_png = args.out / "strata.png"
fig.savefig(strata_png, dpi=100)
plt.close(fig)
print(f"plots: {votes_png} {strata_png}")

# %% Exit status as the CLI's: 0 passed, 1 failed, 3 incomplete
sys.exit({"passed": 0, "failed": 1, "incomplete": 3}[report.verdict.value])
