"""Consent rolls (spec/roll.md): entries, their canonical encoding, and the
roll's Merkle commitment that a draw announcement names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, List, Mapping, Optional, Tuple, Union

from . import _native

__all__ = ["RollEntry", "RollCommitment", "commit_roll", "read_roll", "write_roll", "commit_roll_file"]

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class RollEntry:
    """One consenting citizen on the roll: a citizen key (a canonical
    ristretto255 point, 32 bytes) and up to 16 stratum attributes, sorted by
    label. Build one with :meth:`new`, which validates it."""

    key: bytes
    """The citizen's public key."""
    attributes: Tuple[Tuple[str, bytes], ...]
    """(label, value) pairs, sorted by label."""

    @classmethod
    def new(cls, key: bytes, attributes: Mapping[str, Union[bytes, str]] = {}) -> "RollEntry":
        """An entry from a key and ``{label: value}`` (str values are UTF-8);
        raises :class:`kleroterion.DecodeError` for a key that is not a point,
        :class:`kleroterion.ParameterError` for a bad label or value."""
        attrs = [(k, v.encode() if isinstance(v, str) else bytes(v)) for k, v in attributes.items()]
        return cls.from_bytes(_native.encode_roll_entry(bytes(key), attrs))

    @classmethod
    def from_bytes(cls, encoded: bytes) -> "RollEntry":
        """Decodes a canonical encoding; raises :class:`kleroterion.DecodeError`."""
        key, attrs = _native.decode_roll_entry(bytes(encoded))
        return cls(bytes(key), tuple((label, bytes(value)) for label, value in attrs))

    @classmethod
    def from_line(cls, line: str) -> "RollEntry":
        """Decodes a ``roll.txt`` line (hex of the encoding)."""
        try:
            encoded = bytes.fromhex(line.strip())
        except ValueError as e:
            raise _native.DecodeError(f"roll line: {e}") from None
        return cls.from_bytes(encoded)

    def to_bytes(self) -> bytes:
        """The canonical encoding (spec/roll.md §2)."""
        return bytes(_native.encode_roll_entry(self.key, list(self.attributes)))

    def to_line(self) -> str:
        """The ``roll.txt`` line: hex of the encoding."""
        return self.to_bytes().hex()

    def attribute(self, label: str) -> Optional[bytes]:
        """The value of attribute ``label``, if present."""
        for k, v in self.attributes:
            if k == label:
                return v
        return None


@dataclass(frozen=True)
class RollCommitment:
    """The commitment to a roll (spec/roll.md §3): its Merkle tree head and size."""

    root: str
    """The Merkle root, hex."""
    size: int
    """The number of entries."""


def commit_roll(entries: Iterable[RollEntry]) -> RollCommitment:
    """The commitment of a roll in canonical order (strictly ascending keys);
    raises :class:`kleroterion.ParameterError` for an empty, unsorted or
    duplicated roll. Sort with ``sorted(entries, key=lambda e: e.key)``."""
    root, size = _native.commit_roll([e.to_bytes() for e in entries])
    return RollCommitment(root, size)


def commit_roll_file(path: PathLike) -> RollCommitment:
    """The commitment of a ``roll.txt`` file, streamed with bounded memory."""
    root, size = _native.commit_roll_file(os.fspath(path))
    return RollCommitment(root, size)


def read_roll(path: PathLike) -> List[RollEntry]:
    """Reads a ``roll.txt`` file (one hex entry per line)."""
    with open(path, encoding="ascii") as f:
        return [RollEntry.from_line(line) for line in f if line.strip()]


def write_roll(path: PathLike, entries: Iterable[RollEntry]) -> None:
    """Writes a ``roll.txt`` file (one hex entry per line)."""
    with open(path, "w", encoding="ascii") as f:
        for e in entries:
            f.write(e.to_line() + "\n")
