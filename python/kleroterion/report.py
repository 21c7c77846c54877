"""Verification reports as Python objects.

A report lists numbered checks (spec/record.md §4), each with a stable id
(``"A1"``, ``"B1"``, ``"S3"``, ``"E9"``), the section it belongs to (the
anchors, the beacon, the draw, each vote), an :class:`Outcome` and, unless
it passed, the reason. The :attr:`Report.verdict` is ``passed`` only when
every check passed; a check that could not be decided or lacks its anchor
is never a pass. :attr:`Report.statements` say in plain words what the
checks establish, each proven only when every check it rests on passed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, Iterator, List, Optional, Tuple

__all__ = ["Outcome", "Verdict", "StatementStatus", "Check", "Statement", "Report"]


class Outcome(str, Enum):
    """How one check ended."""

    PASSED = "passed"
    """The check succeeded."""
    FAILED = "failed"
    """The check failed: the record is not valid."""
    NOT_CHECKED = "not_checked"
    """The check could not be decided (a missing input, or a check it depends on failed)."""
    NOT_ANCHORED = "not_anchored"
    """The record agrees with itself, but the published anchor was not supplied."""


class Verdict(str, Enum):
    """The verdict of a whole report."""

    PASSED = "passed"
    """Every check ran and passed."""
    FAILED = "failed"
    """At least one check failed."""
    INCOMPLETE = "incomplete"
    """No check failed, but some were not checked or not anchored: consistent, not proven."""


class StatementStatus(str, Enum):
    """Whether a plain statement of the report was proven."""

    PROVEN = "proven"
    """Every check it rests on passed."""
    NOT_PROVEN = "not_proven"
    """No check it rests on failed, but some were not anchored or not checked."""
    REFUTED = "refuted"
    """A check it rests on failed."""


# The library's status words (the CLI's JSON) and this package's outcomes.
_STATUS = {
    "ok": Outcome.PASSED,
    "failed": Outcome.FAILED,
    "not_checked": Outcome.NOT_CHECKED,
    "not_anchored": Outcome.NOT_ANCHORED,
}


@dataclass(frozen=True)
class Check:
    """One numbered check of a report."""

    number: int
    """Its position in the report, from 1, across sections."""
    section: str
    """The section's title, e.g. ``'Beacon'`` or ``'Vote "harm-finding"'``."""
    id: str
    """The stable check identifier, e.g. ``"E9"`` (documented in spec/)."""
    title: str
    """What the check establishes."""
    outcome: Outcome
    """How it ended."""
    reason: Optional[str] = None
    """Why it did not pass (or, not anchored, the record's digest to compare)."""

    @property
    def passed(self) -> bool:
        """Whether the check passed."""
        return self.outcome is Outcome.PASSED

    @property
    def failed(self) -> bool:
        """Whether the check failed."""
        return self.outcome is Outcome.FAILED


@dataclass(frozen=True)
class Statement:
    """A plain statement of what the verification established (spec/record.md §10)."""

    text: str
    """The sentence; prefixed ``NOT PROVEN:`` or ``REFUTED:`` unless proven."""
    status: StatementStatus
    """Whether it was proven."""
    rests_on: Tuple[str, ...]
    """The ids of the checks it rests on."""
    unmet: Tuple[Tuple[str, str], ...] = ()
    """The checks among those that did not pass: (id, how it ended)."""
    vote: Optional[str] = None
    """The vote it is about, if any."""


@dataclass(frozen=True)
class Report:
    """A verification report: numbered checks in sections, statements, the verdict.

    Reports are immutable and picklable (they travel between Dask workers).
    """

    checks: Tuple[Check, ...]
    """Every check, numbered in order across sections."""
    statements: Tuple[Statement, ...] = ()
    """What the checks establish (absent for a beacon record or a merged shard report)."""
    summary: Optional[Dict[str, Any]] = field(default=None, compare=False)
    """What the record claims: ``draw`` (polity, roll, beacon round, delegates) and
    ``votes`` (per vote: electorate, ballots, contests with options and counts, and
    ``count_verified``, true only when the count is proven)."""
    record_digest: Optional[Tuple[str, str]] = None
    """The record's main file and its SHA3-256 (hex), as ``sha3sum -a 256`` prints it."""
    fairness: Optional[Dict[str, Any]] = field(default=None, compare=False)
    """A feature draw's fairness figures, recomputed by the verifier (spec/record.md
    §10.1, spec/json.md §7.3): ``kind``, ``m``, ``people``, ``min_probability`` (p_min),
    ``at_minimum``, ``bound`` (B), ``gap`` (B − p_min) and ``announced_gap``, each
    rational a ``{"num": str, "den": str}`` in lowest terms and ``None`` unless the
    checks establishing it passed; ``None`` for other records."""

    @classmethod
    def from_native(cls, text: str) -> "Report":
        """The report from the JSON the Rust core returns."""
        data = json.loads(text)
        checks: List[Check] = []
        for section in data["sections"]:
            for c in section["checks"]:
                checks.append(
                    Check(
                        number=len(checks) + 1,
                        section=section["title"],
                        id=c["id"],
                        title=c["title"],
                        outcome=_STATUS[c["status"]],
                        reason=c.get("reason"),
                    )
                )
        summary = data.get("summary")
        statements = tuple(
            Statement(
                text=s["text"],
                status=StatementStatus(s["status"]),
                rests_on=tuple(s["rests_on"]),
                unmet=tuple((u["id"], u["status"]) for u in s["unmet"]),
                vote=s.get("vote"),
            )
            for s in (summary or {}).get("statements", [])
        )
        if summary is not None:
            summary = {k: v for k, v in summary.items() if k != "statements"}
        digest = data.get("record_digest")
        return cls(
            checks=tuple(checks),
            statements=statements,
            summary=summary,
            record_digest=(digest[0], digest[1]) if digest else None,
            fairness=data.get("fairness"),
        )

    @property
    def verdict(self) -> Verdict:
        """Failed if a check failed, passed if every check passed, incomplete otherwise."""
        if any(c.failed for c in self.checks):
            return Verdict.FAILED
        if self.checks and all(c.passed for c in self.checks):
            return Verdict.PASSED
        return Verdict.INCOMPLETE

    @property
    def passed(self) -> bool:
        """Whether every check passed (an empty report is not a success)."""
        return self.verdict is Verdict.PASSED

    def tally(self) -> Dict[Outcome, int]:
        """How many checks ended each way."""
        counts = {o: 0 for o in Outcome}
        for c in self.checks:
            counts[c.outcome] += 1
        return counts

    def sections(self) -> List[str]:
        """The section titles, in order."""
        seen: List[str] = []
        for c in self.checks:
            if not seen or seen[-1] != c.section:
                seen.append(c.section)
        return seen

    def section(self, title: str) -> Tuple[Check, ...]:
        """The checks of the section titled ``title``."""
        return tuple(c for c in self.checks if c.section == title)

    def get(self, id: str, section: Optional[str] = None) -> Optional[Check]:
        """The first check with identifier ``id`` (in ``section``, if given)."""
        for c in self.checks:
            if c.id == id and (section is None or c.section == section):
                return c
        return None

    def failures(self) -> Tuple[Check, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if c.failed)

    def outcomes(self) -> List[Tuple[str, str, Outcome, Optional[str]]]:
        """(section, id, outcome, reason) of every check: what two verifications of
        one record must agree on (a merged sharded report and a one-verifier report)."""
        return [(c.section, c.id, c.outcome, c.reason) for c in self.checks]

    def __iter__(self) -> Iterator[Check]:
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    def __str__(self) -> str:
        lines: List[str] = []
        section = None
        for c in self.checks:
            if c.section != section:
                section = c.section
                lines.append(section)
            word = "ok" if c.passed else c.outcome.value.replace("_", " ").upper()
            lines.append(f"  {c.number:>3}. {c.id:<4} {word:<12} {c.title}")
            if c.reason:
                lines.append(f"              {c.reason}")
        t = self.tally()
        total = len(self.checks)
        if self.verdict is Verdict.PASSED:
            lines.append(f"all {total} checks passed")
        elif self.verdict is Verdict.FAILED:
            lines.append(f"{t[Outcome.FAILED]} of {total} checks FAILED")
        else:
            lines.append(
                f"{t[Outcome.PASSED]} of {total} checks passed, "
                f"{t[Outcome.NOT_CHECKED]} not checked, {t[Outcome.NOT_ANCHORED]} not anchored"
            )
        for s in self.statements:
            mark = {"proven": "✓", "not_proven": "?", "refuted": "✗"}[s.status.value]
            lines.append(f"  {mark} {s.text}")
        return "\n".join(lines)
