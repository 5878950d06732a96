"""In-memory event store: for tests and ``LCT_DATABASE_URL=memory://``. Nothing survives a restart."""

from __future__ import annotations

from collections.abc import Sequence

from lct.adapters.store import ClaimTaken, ConcurrencyError, NewRecord, StoredRecord
from lct.domain.tournament import Claim


class MemoryEventStore:
    def __init__(self) -> None:
        self._streams: dict[str, list[StoredRecord]] = {}
        self._claims: dict[tuple[str, str], str] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim] = (),
    ) -> int:
        # No await in here: the whole append is atomic on the event loop.
        stream = self._streams.get(stream_id, [])
        if len(stream) != expected_version:
            raise ConcurrencyError(stream_id, expected_version)
        claims_after = dict(self._claims)
        for claim in claims:
            if claim.exclusive:
                for key in [k for k, owner in claims_after.items() if k[0] == claim.namespace and owner == stream_id]:
                    del claims_after[key]
            key = (claim.namespace, claim.value)
            if claims_after.get(key, stream_id) != stream_id:
                raise ClaimTaken(claim)
            claims_after[key] = stream_id
        stored = [StoredRecord(expected_version + i, r.type, r.data) for i, r in enumerate(records, 1)]
        self._streams[stream_id] = [*stream, *stored]
        self._claims = claims_after
        return expected_version + len(records)

    async def read(self, stream_id: str, after_version: int = 0) -> list[StoredRecord]:
        return self._streams.get(stream_id, [])[after_version:]

    async def claim_owner(self, namespace: str, value: str) -> str | None:
        return self._claims.get((namespace, value))
