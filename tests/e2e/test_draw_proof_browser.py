"""static/lib/draw-proof.js in a real browser (Chromium's WebCrypto) against the test vectors of docs/fairness.md.

The module is imported from a real ``lct serve`` process, as the verify page does, and must give the same
numbers as the Python implementation for both vectors of the doc.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.support import lct_server
from tests.unit.test_draw import VECTORS

CHROMIUM = os.environ.get("LCT_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.timeout(180)

# Runs in the page: import the module from the server and compute every vector the way a verifier would.
COMPUTE = """
async (vectors) => {
  const proof = await import("/static/lib/draw-proof.js");
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const out = [];
  for (const v of vectors) {
    const { tournamentId, mode, drawProof, catalogue } = v;
    const seed = drawProof.serverSeed;
    const key = await proof.drawKey(seed, tournamentId, mode, drawProof.seats);
    const next = proof.numbers(key);
    const numbers = [];
    for (let i = 0; i < 8; i++) numbers.push(await next());
    const tampered = structuredClone(v);
    tampered.drawProof.seats[0].clientSeed += "!";
    out.push({
      algorithm: proof.ALGORITHM,
      commitment: await proof.commitmentOf(seed),
      message: hex(proof.message(tournamentId, mode, drawProof.seats)),
      key,
      numbers,
      assignment: await proof.assign(seed, tournamentId, mode, drawProof.seats, catalogue),
      verified: await proof.verifyProof(v),
      tampered: await proof.verifyProof(tampered),
      wrongSeed: await proof.verifyProof({ ...v, drawProof: { ...drawProof, serverSeed: "00".repeat(32) } }),
      badHex: await proof.verifyProof({ ...v, drawCommitment: "not hex" }),
      keep: await proof.verifyProof({ ...v, mode: "keep" }),
    });
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with lct_server(Path(tmp_path_factory.mktemp("draw-proof"))) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url + "/")
            yield page
        finally:
            browser.close()


@pytest.fixture(scope="module")
def computed(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(COMPUTE, [v.proof for v in VECTORS])
    return result


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[v.proof["mode"] for v in VECTORS])
def test_the_browser_computes_the_doc_vector(computed: list[dict[str, Any]], index: int) -> None:
    vector, got = VECTORS[index], computed[index]
    assert got["algorithm"] == vector.proof["drawProof"]["algorithm"] == "lct-draw-v1"
    assert got["commitment"] == vector.values["commitment"] == vector.proof["drawCommitment"]
    assert got["message"] == vector.message_hex
    assert got["key"] == vector.values["key"]
    assert got["numbers"] == vector.numbers
    assert "".join(f"{n:08x}" for n in got["numbers"]) == vector.values["block 0"]
    assert got["assignment"] == vector.proof["result"] == vector.plays
    assert got["verified"]["ok"] is True
    assert got["verified"]["expected"] == vector.proof["result"]


@pytest.mark.parametrize("index", range(len(VECTORS)), ids=[v.proof["mode"] for v in VECTORS])
def test_the_browser_refuses_tampered_proofs(computed: list[dict[str, Any]], index: int) -> None:
    got = computed[index]
    assert got["tampered"]["ok"] is False
    assert "other clubs" in got["tampered"]["reason"]
    assert got["tampered"]["expected"] != VECTORS[index].proof["result"]
    assert got["wrongSeed"]["ok"] is False
    assert "commitment" in got["wrongSeed"]["reason"]
    assert got["badHex"]["ok"] is False
    assert got["keep"] == {"ok": False, "reason": "mode keep has no draw to verify", "expected": []}
