"""Each hub mode really takes its own path: frames go straight to the socket with the fast path, and only
through ASGI ``send`` without it (so the hub suite, which runs in both modes, proves the fallback)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("modes"), hub_env) as running:
        yield running


async def frames(server: Server) -> dict[str, float]:
    async with httpx.AsyncClient() as http:
        text = (await http.get(server.url + "/metrics")).text
    return {
        sample.labels["path"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "lct_hub_frames_total"
    }


async def test_fan_out_frames_take_the_path_of_the_mode(server: Server, hub_env: dict[str, str]) -> None:
    api = Api(server.url)
    try:
        tid = await api.create(f"modes-{uuid.uuid4().hex[:10]}", 2)
        async with HubClient.connect(server.ws_url, tid) as hub:
            await api.assign(tid, "Jan", "Nowak")
            assert (await hub.next_payload())["type"] == "PlayerAssigned"
            await hub.click(tid, "Bayern", "Jan", "Nowak")
            assert (await hub.next_payload())["type"] == "TeamClicked"
    finally:
        await api.aclose()
    counted = await frames(server)
    if hub_env["LCT_HUB_FAST_PATH"] == "true":
        assert counted["direct"] >= 2 and counted["asgi"] == 0
    else:
        assert counted["direct"] == 0 and counted["asgi"] >= 2
