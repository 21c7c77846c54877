"""Fixtures: the README's example record (made by the package itself, byte
for byte the record of ``cargo run --example assembly -- --seed 1``) and a
small record for the tamper tests, each made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kleroterion

@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example record of README.md (10,000 citizens, 150 seats, two votes)."""
    path = tmp_path_factory.mktemp("example") / "assembly-record"
    kleroterion.simulate(path, seed=1)
    return path


@pytest.fixture(scope="session")
def example_anchors(example: Path) -> kleroterion.Anchors:
    """The anchors the example's organiser publishes."""
    return kleroterion.Anchors.of_record(example)


@pytest.fixture(scope="session")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small assembly record (400 citizens, 12 seats)."""
    path = tmp_path_factory.mktemp("small") / "record"
    kleroterion.simulate(path, citizens=400, strata=3, seats=12, reserve=2, challenged=2, features=False, seed=7)
    return path


@pytest.fixture
def small(small_source: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small record, for a test to tamper with."""
    return Path(shutil.copytree(small_source, tmp_path / "record"))
