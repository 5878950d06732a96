"""The REST v1 contract through the real ASGI app (contract section 2 and Appendix A)."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from lct.config import Settings
from lct.domain.tournament import CATALOGUE
from lct.entrypoints.http import App, create_app
from tests.fakes import RecordingBroker

GUID_LEN = 36


@pytest.fixture
def broker() -> RecordingBroker:
    return RecordingBroker()


@pytest.fixture(params=["", "/lct"], ids=lambda root: root or "no-prefix")
def root(request: pytest.FixtureRequest) -> str:
    """The REST contract also holds with the service under a path prefix (LCT_ROOT_PATH=/lct)."""
    prefix: str = request.param
    return prefix


@pytest.fixture
async def application(tmp_path: Path, broker: RecordingBroker, root: str) -> AsyncIterator[App]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", root_path=root)
    app = create_app(settings, broker=broker, rng=random.Random(5))
    async with app.lifespan_context():
        yield app


@pytest.fixture
async def client(application: App, root: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://lct.test" + root) as c:
        yield c


def name() -> str:
    return f"Friday FIFA {uuid.uuid4()}"


async def create(client: httpx.AsyncClient, limit: object = 2, path: str = "/api/Tournament/create") -> str:
    response = await client.post(path, json={"name": name(), "playerLimit": limit})
    assert response.status_code == 200, response.text
    return str(response.json())


async def assign(client: httpx.AsyncClient, tid: str, first: str, last: str = "Nowak") -> httpx.Response:
    return await client.post("/api/Tournament/assignPlayer", json={"name": first, "surname": last, "tournamentId": tid})


async def select(client: httpx.AsyncClient, tid: str, first: str, team: str, last: str = "Nowak") -> httpx.Response:
    body = {"playerName": first, "playerSurname": last, "tournamentId": tid, "team": team}
    return await client.post("/api/Team/select", json=body)


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"RequestId", "ErrorMessage", "ErrorCode"}
    assert body["RequestId"] == response.headers["x-request-id"]
    assert body["ErrorMessage"]
    assert "Traceback" not in body["ErrorMessage"]
    if code:
        assert body["ErrorCode"] == code
    return body


# --- the happy path, exactly as the FE and k6 speak it ---


async def test_create_returns_200_with_the_quoted_guid(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/Tournament/create", json={"name": name(), "playerLimit": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.text.startswith('"') and response.text.endswith('"')
    tid = response.text.replace('"', "")  # what k6 does
    assert str(uuid.UUID(tid)) == tid and len(tid) == GUID_LEN


@pytest.mark.parametrize("limit", [4, "4", "+4", "04"])
async def test_player_limit_may_be_a_number_or_a_numeric_string(client: httpx.AsyncClient, limit: object) -> None:
    tid = await create(client, limit, path="/api/tournament/create")
    body = (await client.get(f"/api/tournament?id={tid}")).json()
    assert body["playerLimit"] == 4


async def test_whole_flow_create_assign_select_draw_twice(client: httpx.AsyncClient, broker: RecordingBroker) -> None:
    tid = await create(client, 2)
    for first in ("Jan", "Ola"):
        response = await assign(client, tid, first)
        assert response.status_code == 200
        assert response.content == b""
    for first, team in (("Jan", "Bayern"), ("Ola", "Juventus")):
        response = await select(client, tid, first, team)
        assert (response.status_code, response.content) == (200, b"")
    first_draw = await client.get(f"/api/Tournament/draw?tournamentId={tid}")
    second_draw = await client.get(f"/api/tournament/draw?TournamentId={tid}")
    assert first_draw.status_code == second_draw.status_code == 200
    assert first_draw.json() == second_draw.json()
    assert {d["teamName"] for d in first_draw.json()} == {"Bayern", "Juventus"}
    assert all(set(d) == {"name", "surname", "teamName"} for d in first_draw.json())
    state = (await client.get(f"/api/Tournament?Id={tid}")).json()
    drawn = {(d["name"], d["surname"]): d["teamName"] for d in first_draw.json()}
    assert state["players"] == [
        {"name": "Jan", "surname": "Nowak", "selectedTeam": "Bayern", "drawnTeam": drawn[("Jan", "Nowak")]},
        {"name": "Ola", "surname": "Nowak", "selectedTeam": "Juventus", "drawnTeam": drawn[("Ola", "Nowak")]},
    ]
    assert [p["type"] for p in broker.payloads()] == [
        "PlayerAssigned",
        "PlayerAssigned",
        "TeamSelected",
        "TeamSelected",
        "TeamsDrawn",
    ]


async def test_get_tournament_writes_nulls_and_camel_case(client: httpx.AsyncClient) -> None:
    tid = await create(client, 3)
    await assign(client, tid, "Jan")
    response = await client.get(f"/api/Tournament?Id={tid}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"id", "tournamentName", "players", "playerLimit", "version", "streamVersion", "drawCommitment"}
    assert body["id"] == tid
    assert body["version"] == 1
    assert body["streamVersion"] == 3
    assert body["players"] == [{"name": "Jan", "surname": "Nowak", "selectedTeam": None, "drawnTeam": None}]
    assert '"selectedTeam":null' in response.text


async def test_teams_lists_the_ten_catalogue_clubs_in_order(client: httpx.AsyncClient) -> None:
    tid = await create(client, 2)
    await assign(client, tid, "Jan")
    await select(client, tid, "Jan", "Machester United")
    for url in (f"/api/Team?TournamentId={tid}", f"/api/team?tournamentId={tid}", f"/API/TEAM/?tournamentid={tid}"):
        response = await client.get(url)
        assert response.status_code == 200
        assert response.json() == [{"name": team, "selected": team == "Machester United"} for team in CATALOGUE]


@pytest.mark.parametrize(
    "path", ["/api/Tournament", "/api/tournament", "/API/TOURNAMENT", "/api/Tournament/", "/api/tOuRnAmEnT"]
)
async def test_paths_and_query_keys_are_case_insensitive(client: httpx.AsyncClient, path: str) -> None:
    tid = await create(client)
    for key in ("Id", "id", "ID"):
        assert (await client.get(f"{path}?{key}={tid}")).status_code == 200


async def test_json_body_keys_are_case_insensitive_and_unknown_keys_ignored(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/TOURNAMENT/CREATE", json={"NAME": name(), "PlayerLimit": "2", "qrCode": "ignored"}
    )
    assert response.status_code == 200
    tid = response.json()
    response = await client.post(
        "/api/Tournament/AssignPlayer", json={"Name": "Jan", "SURNAME": "Nowak", "TournamentID": tid.upper()}
    )
    assert response.status_code == 200


async def test_guid_ids_are_accepted_in_upper_case_and_answered_in_lower_case(client: httpx.AsyncClient) -> None:
    tid = await create(client)
    body = (await client.get(f"/api/Tournament?Id={tid.upper()}")).json()
    assert body["id"] == tid


# --- errors: a clear 4xx and nothing stored ---


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "", "playerLimit": 2}, "InvalidField"),
        ({"name": None, "playerLimit": 2}, "FieldCannotBeEmpty"),
        ({"playerLimit": 2}, "FieldCannotBeEmpty"),
        ({"name": "   ", "playerLimit": 2}, "InvalidField"),
        ({"name": "x" * 101, "playerLimit": 2}, "InvalidField"),
        ({"name": 5, "playerLimit": 2}, "InvalidType"),
        ({"name": "ok"}, "MissingField"),
        ({"name": "ok", "playerLimit": 1}, "ValueOutOfRange"),
        ({"name": "ok", "playerLimit": -2}, "ValueOutOfRange"),
        ({"name": "ok", "playerLimit": 11}, "ValueOutOfRange"),
        ({"name": "ok", "playerLimit": "abc"}, "InvalidField"),
        ({"name": "ok", "playerLimit": 4.5}, "InvalidField"),
        ({"name": "ok", "playerLimit": True}, "InvalidField"),
        ({"name": "ok", "playerLimit": "99999999999999999999"}, "ValueOutOfRange"),
        ({"name": "ok", "playerLimit": "-4"}, "ValueOutOfRange"),
        ({"name": "ok", "playerLimit": "+-5"}, "InvalidField"),
        ({"name": "ok", "playerLimit": "--5"}, "InvalidField"),
        ({"name": "ok", "playerLimit": "-+3"}, "InvalidField"),
        ({"name": "ok", "playerLimit": "²"}, "InvalidField"),
        ({"name": "ok", "playerLimit": "٣"}, "InvalidField"),
        ({"name": "ok", "playerLimit": " 4"}, "InvalidField"),
        ({"name": "ok", "playerLimit": "4.0"}, "InvalidField"),
        ({"name": "ok", "playerLimit": ""}, "InvalidField"),
    ],
)
async def test_invalid_create_requests_get_400(client: httpx.AsyncClient, body: dict[str, object], code: str) -> None:
    assert_error(await client.post("/api/Tournament/create", json=body), 400, code)


async def test_a_duplicate_tournament_name_is_409_and_rolls_everything_back(client: httpx.AsyncClient) -> None:
    taken = name()
    assert (await client.post("/api/Tournament/create", json={"name": taken, "playerLimit": 2})).status_code == 200
    body = assert_error(
        await client.post("/api/Tournament/create", json={"name": taken, "playerLimit": 3}),
        409,
        "TournamentNameNotUnique",
    )
    assert "E11000" not in body["ErrorMessage"]
    assert taken in body["ErrorMessage"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "MalformedJson"),
        (b"", {"content-type": "application/json"}, 400, "EmptyBody"),
        (b"[1, 2]", {"content-type": "application/json"}, 400, "MalformedJson"),
        (b'"text"', {"content-type": "application/json"}, 400, "MalformedJson"),
        (b'{"name": "x", "playerLimit": 2}', {"content-type": "text/plain"}, 415, "UnsupportedMediaType"),
        (b'{"name": "x", "playerLimit": 2}', {}, 415, "UnsupportedMediaType"),
    ],
)
async def test_malformed_bodies_are_refused(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    assert_error(await client.post("/api/Tournament/create", content=content, headers=headers), status, code)


async def test_bodies_over_64_kib_get_413_and_store_nothing(client: httpx.AsyncClient) -> None:
    big = '{"name": "' + "x" * (64 * 1024) + '", "playerLimit": 2}'
    response = await client.post("/api/Tournament/create", content=big, headers={"content-type": "application/json"})
    assert_error(response, 413, "PayloadTooLarge")


async def test_a_chunked_body_over_64_kib_gets_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'", "playerLimit": 2}'

    response = await client.post(
        "/api/Tournament/create", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "PayloadTooLarge")


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("", 400, "MissingField"),
        ("?Id=", 400, "MissingField"),
        ("?Id=abc", 400, "InvalidRequest"),
        ('?Id="', 400, "InvalidRequest"),
        ("?Id=00000000-0000-0000-0000-000000000000", 404, "TournamentNotFound"),
        (f"?Id={uuid.uuid4()}", 404, "TournamentNotFound"),
    ],
)
async def test_bad_or_unknown_ids_on_get(client: httpx.AsyncClient, query: str, status: int, code: str) -> None:
    await create(client)
    assert_error(await client.get(f"/api/Tournament{query}"), status, code)
    draw_query = query.replace("Id=", "tournamentId=")
    assert_error(await client.get(f"/api/Tournament/draw{draw_query}"), status)
    assert_error(await client.get(f"/api/Team{draw_query}"), status)


async def test_assign_errors_in_the_originals_check_order(client: httpx.AsyncClient) -> None:
    assert_error(await assign(client, '"', "Jan"), 400, "InvalidRequest")
    assert_error(await assign(client, str(uuid.uuid4()), ""), 404, "TournamentNotFound")
    tid = await create(client, 2)
    assert_error(await assign(client, tid, ""), 400, "InvalidField")
    assert_error(await assign(client, tid, "Jan", ""), 400, "InvalidField")
    assert_error(
        await client.post("/api/Tournament/assignPlayer", json={"name": None, "surname": "x", "tournamentId": tid}),
        400,
        "FieldCannotBeEmpty",
    )
    assert (await assign(client, tid, "Jan")).status_code == 200
    assert_error(await assign(client, tid, "Jan"), 409, "PlayerAlreadyAssigned")
    assert (await assign(client, tid, "Ola")).status_code == 200
    assert_error(await assign(client, tid, "Ela"), 409, "TournamentLimitExceeded")
    players = (await client.get(f"/api/Tournament?Id={tid}")).json()["players"]
    assert [p["name"] for p in players] == ["Jan", "Ola"]


async def test_select_errors_in_the_originals_check_order(client: httpx.AsyncClient) -> None:
    assert_error(await select(client, str(uuid.uuid4()), "Jan", "Bayern"), 404, "TournamentNotFound")
    tid = await create(client, 2)
    await assign(client, tid, "Jan")
    await assign(client, tid, "Ola")
    assert_error(await select(client, tid, "", "Bayern"), 400, "InvalidField")
    assert_error(await select(client, tid, "Ghost", "hehe"), 409, "PlayerNotInTournament")
    assert_error(await select(client, tid, "Jan", ""), 400, "InvalidTeamName")
    assert_error(await select(client, tid, "Jan", "bayern"), 400, "InvalidTeamName")
    assert (await select(client, tid, "Jan", "Bayern")).status_code == 200
    assert_error(await select(client, tid, "Jan", "PSG"), 409, "PlayerSelectedTeamBefore")
    assert_error(await select(client, tid, "Ola", "Bayern"), 409, "TeamAlreadySelected")
    teams = (await client.get(f"/api/Team?TournamentId={tid}")).json()
    assert [t["name"] for t in teams if t["selected"]] == ["Bayern"]


async def test_draw_before_everyone_registered_or_picked_is_409(client: httpx.AsyncClient) -> None:
    tid = await create(client, 2)
    await assign(client, tid, "Jan")
    assert_error(await client.get(f"/api/Tournament/draw?tournamentId={tid}"), 409, "NotAllPlayersRegistered")
    await assign(client, tid, "Ola")
    await select(client, tid, "Jan", "PSG")
    assert_error(await client.get(f"/api/Tournament/draw?tournamentId={tid}"), 409, "NotAllPlayersSelectedTeam")


# --- cross-cutting HTTP behaviour ---


async def test_every_response_carries_a_request_id_and_an_incoming_one_is_reused(client: httpx.AsyncClient) -> None:
    response = await client.get("/liveness")
    assert uuid.UUID(response.headers["x-request-id"])
    response = await client.get("/api/Tournament?Id=bad", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    assert response.json()["RequestId"] == "trace-123"


async def test_an_unusable_incoming_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/liveness", headers={"X-Request-ID": "bad id with spaces"})
    assert uuid.UUID(response.headers["x-request-id"])


@pytest.mark.parametrize(("version", "status"), [("1.0", 200), ("1", 200), ("2.0", 400), ("banana", 400)])
async def test_api_version_header(client: httpx.AsyncClient, version: str, status: int) -> None:
    response = await client.post(
        "/api/Tournament/create", json={"name": name(), "playerLimit": 2}, headers={"api-version": version}
    )
    assert response.status_code == status
    if status == 400:
        assert_error(response, 400)


async def test_cors_reflects_the_origin_with_credentials(client: httpx.AsyncClient) -> None:
    origin = "http://localhost:3000"
    preflight = await client.options(
        "/api/tournament/create",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert preflight.headers["access-control-allow-methods"] == "POST"
    assert preflight.headers["access-control-allow-headers"] == "content-type"
    assert "Origin" in preflight.headers["vary"]
    response = await client.get("/api/Tournament?Id=bad", headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] == origin
    assert response.headers["access-control-allow-credentials"] == "true"


async def test_unknown_paths_and_methods(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/nope"), 404, "NotFound")
    assert_error(await client.post("/api/Tournament", json={}), 405, "MethodNotAllowed")


async def test_liveness_and_readiness(client: httpx.AsyncClient) -> None:
    live = await client.get("/liveness")
    assert (live.status_code, live.text) == (200, "Healthy")
    assert live.headers["content-type"].startswith("text/plain")
    ready = await client.get("/readiness")
    assert (ready.status_code, ready.text) == (200, "Healthy")


async def test_swagger_is_served_outside_production(client: httpx.AsyncClient) -> None:
    ui = await client.get("/swagger/index.html")
    assert ui.status_code == 200 and "swagger" in ui.text.lower()
    assert "/swagger/static/swagger-ui-bundle.js" in ui.text
    bundle = await client.get("/swagger/static/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 100_000
    doc = (await client.get("/swagger/v1/swagger.json")).json()
    paths = doc["paths"]
    for path in (
        "/api/Tournament",
        "/api/Tournament/create",
        "/api/Tournament/assignPlayer",
        "/api/Tournament/draw",
        "/api/Team",
        "/api/Team/select",
    ):
        assert path in paths
    assert "409" in paths["/api/Tournament/assignPlayer"]["post"]["responses"]
    assert "requestBody" in paths["/api/Tournament/create"]["post"]


async def test_swagger_is_hidden_in_production(tmp_path: Path) -> None:
    prod = create_app(Settings(database_url="memory://", environment="Production"))
    async with prod.lifespan_context():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=prod), base_url="http://t") as c:
            assert (await c.get("/swagger/index.html")).status_code == 404
            assert (await c.get("/swagger/v1/swagger.json")).status_code == 404
            assert (await c.get("/liveness")).status_code == 200


async def test_an_unexpected_error_is_a_json_500_without_internals(tmp_path: Path) -> None:
    class BrokenStore:
        async def start(self) -> None: ...
        async def close(self) -> None: ...
        async def ping(self) -> None: ...
        async def append(self, *args: object, **kwargs: object) -> int:
            raise RuntimeError("secret driver detail")

        async def read(self, *args: object, **kwargs: object) -> list[object]:
            raise RuntimeError("secret driver detail")

    broken = create_app(Settings(database_url="memory://"), store=BrokenStore())  # type: ignore[arg-type]
    async with (
        broken.lifespan_context(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=broken, raise_app_exceptions=False), base_url="http://t"
        ) as c,
    ):
        body = assert_error(await c.get(f"/api/Tournament?Id={uuid.uuid4()}"), 500, "InternalError")
        assert "secret" not in body["ErrorMessage"]


class FlakyBroker(RecordingBroker):
    def __init__(self) -> None:
        super().__init__()
        self.up = False

    async def ping(self) -> None:
        if not self.up:
            raise ConnectionError("redis down")


async def test_readiness_needs_the_broker_once_then_only_reports_it_degraded() -> None:
    broker = FlakyBroker()
    flaky = create_app(Settings(database_url="memory://"), broker=broker)
    async with flaky.lifespan_context():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=flaky), base_url="http://t") as c:
            never = await c.get("/readiness")
            assert never.status_code == 503
            assert "broker never reachable" in never.text
            broker.up = True
            assert (await c.get("/readiness")).text == "Healthy"
            broker.up = False
            degraded = await c.get("/readiness")
            assert degraded.status_code == 200
            assert "degraded" in degraded.text
            assert (await c.get("/liveness")).status_code == 200
