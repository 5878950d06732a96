"""The event store port: append-only streams with optimistic concurrency and atomic uniqueness claims.

Every adapter (memory, SQLite, PostgreSQL, MongoDB) passes the same contract suite in
``tests/integration/test_store_contract.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from lct.domain.tournament import Claim


@dataclass(frozen=True, slots=True)
class NewRecord:
    type: str
    data: str
    """The event payload as JSON text."""


@dataclass(frozen=True, slots=True)
class StoredRecord:
    version: int
    type: str
    data: str


class StoreError(Exception):
    """Root of the store errors; drivers' exceptions are translated into these."""


class ConcurrencyError(StoreError):
    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id} is no longer at version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


class ClaimTaken(StoreError):
    def __init__(self, claim: Claim) -> None:
        super().__init__(f"{claim.namespace} {claim.value!r} is already claimed")
        self.claim = claim


class StoreUnavailable(StoreError):
    """The store cannot be reached or failed mid-request; nothing was written."""


class EventStore(Protocol):
    async def start(self) -> None:
        """Connect and create or migrate the schema, idempotently."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim] = (),
    ) -> int:
        """Atomically write ``records`` as versions expected_version+1.. and take ``claims``.

        Raises ConcurrencyError when the stream is not at ``expected_version`` (0 = the stream must not exist)
        and ClaimTaken when another stream holds one of the claims; either way nothing is written.
        Returns the new stream version."""
        ...

    async def read(self, stream_id: str, after_version: int = 0) -> list[StoredRecord]:
        """The stream's records with version > after_version, in version order."""
        ...

    async def claim_owner(self, namespace: str, value: str) -> str | None:
        """The stream that holds ``value`` in ``namespace`` (a committed claim), or None."""
        ...
