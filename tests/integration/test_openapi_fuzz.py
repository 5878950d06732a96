"""The OpenAPI documents against a live server, with a schema-based fuzzer (schemathesis).

For every documented operation, bounded and derandomized (the same examples every run): schema-valid requests
must never be refused as invalid (no 400), schema-invalid ones must be refused (4xx), no response may be a 5xx,
and every response must match the document (status listed, content type, body schema, headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import Server, lct_server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
DOCUMENTS = ("/swagger/v1/swagger.json", "/swagger/v2/swagger.json")
STATEFUL = "/swagger/v2/swagger.json"
"""Whether a v2 request is valid can depend on the tournament it names (its clubs, its seats, its fixtures' format),
which no schema can say: v2 is held to every check but "schema-valid requests are never refused with 400"."""
EXAMPLES = 40

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The fuzzer is one client sending hundreds of writes a second on purpose: lift the per-client rate limit (a 429
    # would say nothing about the request; LCT_RATE_LIMIT is tested in test_limits_http.py).
    env = {"LCT_LOG_LEVEL": "WARNING", "LCT_RATE_LIMIT": "0"}
    with lct_server(tmp_path_factory.mktemp("fuzz"), env) as running:
        yield running


def load(server: Server, document: str) -> Any:
    schema = schemathesis.openapi.from_url(server.url + document)
    schema.config.update(base_url=server.url)
    # Valid requests may still name a tournament that does not exist (404) or break a rule of its state (409),
    # but never get "invalid input"; invalid requests must be refused for what they are.
    schema.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "401", "403", "404", "409"]
    schema.config.checks.negative_data_rejection.expected_statuses = ["400", "401", "403", "404", "413", "415"]
    return schema


def operations(server: Server, document: str) -> list[Any]:
    return [result.ok() for result in load(server, document).get_all_operations()]


def conformance(operation: Any, mode: Any, checks: list[Any]) -> Any:
    """A bounded, derandomized hypothesis test of one operation (the same examples every run)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(checks=checks)

    return conforms


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_every_operation_keeps_the_promises_of_its_document(server: Server, document: str, mode: Any) -> None:
    failures: dict[str, str] = {}
    for operation in operations(server, document):
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()) and not operation.body:
            continue  # nothing it takes can be made invalid
        checks = [c for c in CHECKS if not (document == STATEFUL and c is positive_data_acceptance)]
        try:
            conformance(operation, mode, checks)()
        except Exception as e:  # collect, so one run reports every operation that breaks its document
            failures[operation.label] = str(e)[:2000]
    assert failures == {}


def test_the_fuzzer_really_reaches_every_documented_operation(server: Server) -> None:
    labels = {op.label for document in DOCUMENTS for op in operations(server, document)}
    assert len([label for label in labels if "/api/v2/" in label]) >= 15
    assert {
        "GET /api/Tournament",
        "POST /api/Tournament/create",
        "POST /api/Tournament/assignPlayer",
        "GET /api/Tournament/draw",
        "GET /api/Team",
        "POST /api/Team/select",
    } <= labels


@pytest.mark.parametrize("limit", ["+-5", "--5", "-+3", "²", "٣", "4.5", " 4", "", "0x4", "1e1"])
def test_player_limits_that_are_not_whole_numbers_get_400_invalid_field(server: Server, limit: str) -> None:
    response = httpx.post(server.url + "/api/Tournament/create", json={"name": f"cup {limit!r}", "playerLimit": limit})
    assert response.status_code == 400
    assert response.json()["ErrorCode"] == "InvalidField"


def test_empty_200_bodies_are_documented_as_empty_and_errors_with_their_schema(server: Server) -> None:
    document = httpx.get(server.url + "/swagger/v1/swagger.json").json()
    assign = document["paths"]["/api/Tournament/assignPlayer"]["post"]["responses"]
    assert "content" not in assign["200"]
    assert {"400", "404", "409", "413", "415", "503"} <= set(assign)
    assert set(assign["409"]["content"]["application/json"]["schema"]["required"]) == {
        "RequestId",
        "ErrorMessage",
        "ErrorCode",
    }
    body = document["paths"]["/api/Tournament/create"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["properties"]["name"]
    assert (name["minLength"], name["maxLength"]) == (1, 100) and name["pattern"]
    assert body["properties"]["playerLimit"]["oneOf"][0] == {"type": "integer", "minimum": 2, "maximum": 10}


def test_the_swagger_page_shows_one_document_and_links_the_other(server: Server) -> None:
    first = httpx.get(server.url + "/swagger/index.html").text
    assert 'url: "/swagger/v1/swagger.json"' in first and "?api=v2" in first
    second = httpx.get(server.url + "/swagger/index.html?api=v2").text
    assert 'url: "/swagger/v2/swagger.json"' in second and "?api=v1" in second
