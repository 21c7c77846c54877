"""kleroterion: verifiable democracy, from Python.

Verify the public record of a citizens' assembly drawn by lot — its
threshold beacon, its draw, every secret vote — as an auditor would, commit
a consent roll, run and verify a draw, verify a beacon, read and write the
record formats, and verify a national record in shards on Dask. Every check
is the Rust library's (the same code as the ``kleroterion`` CLI and the
browser verifier); this package gives its reports as Python objects.

>>> import kleroterion
>>> report = kleroterion.verify("target/assembly-record",
...                             anchors=kleroterion.Anchors.load("anchors.json"))  # doctest: +SKIP
>>> report.verdict                                                                 # doctest: +SKIP
<Verdict.PASSED: 'passed'>
"""

from ._native import (
    DecodeError,
    KleroterionError,
    ParameterError,
    ShardMergeError,
    VerificationError,
    __version__,
)
from .beacon import VerifiedChain, verify_beacon, verify_beacon_record, verify_beacon_round
from .draw import Announcement, Selection, run_draw, verify_draw
from .records import AssemblyRecord, Anchors, VoteRecord, simulate, verify, verify_selection
from .report import Check, Outcome, Report, Statement, StatementStatus, Verdict
from .roll import RollCommitment, RollEntry, commit_roll, commit_roll_file, read_roll, write_roll
from .shards import ShardSummary, merge_shards, verify_shard

__all__ = [
    "__version__",
    # errors
    "KleroterionError",
    "DecodeError",
    "VerificationError",
    "ParameterError",
    "ShardMergeError",
    # reports
    "Report",
    "Check",
    "Statement",
    "Outcome",
    "Verdict",
    "StatementStatus",
    # records and their verification
    "verify",
    "verify_selection",
    "simulate",
    "Anchors",
    "AssemblyRecord",
    "VoteRecord",
    # rolls
    "RollEntry",
    "RollCommitment",
    "commit_roll",
    "commit_roll_file",
    "read_roll",
    "write_roll",
    # draws
    "Announcement",
    "Selection",
    "run_draw",
    "verify_draw",
    # beacon
    "VerifiedChain",
    "verify_beacon",
    "verify_beacon_record",
    "verify_beacon_round",
    # shards
    "ShardSummary",
    "verify_shard",
    "merge_shards",
]
