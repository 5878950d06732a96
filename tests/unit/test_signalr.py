"""The SignalR JSON hub protocol codec (contract 3.2)."""

from __future__ import annotations

import json

import pytest

from lct import signalr
from lct.signalr import RS, Framer, ProtocolError


def test_framer_returns_every_complete_record_of_a_frame() -> None:
    assert Framer().feed('{"a":1}' + RS + '{"b":2}' + RS) == ['{"a":1}', '{"b":2}']


def test_framer_keeps_a_record_split_across_frames_until_its_separator_arrives() -> None:
    framer = Framer()
    assert framer.feed('{"type":') == []
    assert framer.feed("6}" + RS + '{"ty') == ['{"type":6}']
    assert framer.pending == 4
    assert framer.feed('pe":6}' + RS) == ['{"type":6}']


def test_framer_accepts_bytes_and_refuses_invalid_utf8() -> None:
    assert Framer().feed(b'{"type":6}\x1e') == ['{"type":6}']
    with pytest.raises(ProtocolError, match="UTF-8"):
        Framer().feed(b"\xff\xfe\x1e")


def test_framer_refuses_a_record_over_the_limit_whether_terminated_or_not() -> None:
    with pytest.raises(ProtocolError, match="limit"):
        Framer(max_record=10).feed("x" * 11 + RS)
    with pytest.raises(ProtocolError, match="limit"):
        Framer(max_record=10).feed("x" * 100)
    framer = Framer(max_record=10)
    framer.feed("x" * 6)
    with pytest.raises(ProtocolError, match="limit"):
        framer.feed("x" * 6)


def test_framer_default_limit_is_one_mebibyte() -> None:
    Framer().feed("x" * (1024 * 1024))
    with pytest.raises(ProtocolError):
        Framer().feed("x" * (1024 * 1024 + 2))


def test_the_json_version_1_handshake_is_accepted_and_version_0_too() -> None:
    signalr.parse_handshake('{"protocol":"json","version":1}')
    signalr.parse_handshake('{"protocol":"json","version":0}')


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("", "Invalid handshake"),
        ("garbage", "Invalid handshake"),
        ("[1]", "Invalid handshake"),
        ('{"version":1}', "missing 'protocol'"),
        ('{"protocol":"messagepack","version":1}', "not supported"),
        ('{"protocol":"json"}', "missing 'version'"),
        ('{"protocol":"json","version":true}', "missing 'version'"),
        ('{"protocol":"json","version":2}', "version 2"),
        ('{"protocol":"json","version":-1}', "version -1"),
    ],
)
def test_a_bad_handshake_names_the_problem(record: str, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        signalr.parse_handshake(record)


def test_an_invocation_decodes_with_or_without_an_invocation_id_and_ignores_extra_properties() -> None:
    sent = signalr.decode('{"type":1,"target":"TeamClicked","arguments":[{"team":"PSG"}],"headers":{}}')
    assert sent == signalr.Invocation("TeamClicked", [{"team": "PSG"}], None)
    invoked = signalr.decode('{"type":1,"target":"X","arguments":[],"invocationId":"7"}')
    assert invoked == signalr.Invocation("X", [], "7")
    assert signalr.decode('{"type":1,"target":"X"}') == signalr.Invocation("X", [], None)


@pytest.mark.parametrize(
    ("record", "decoded"),
    [
        ('{"type":6}', signalr.Ping()),
        ('{"type":7}', signalr.Close()),
        ('{"type":7,"error":"bye"}', signalr.Close("bye")),
        ('{"type":4,"target":"X","arguments":[],"invocationId":"1"}', signalr.StreamInvocation("1")),
        ('{"type":5,"invocationId":"1"}', signalr.Ignored(5)),
        ('{"type":2,"invocationId":"1","item":1}', signalr.Ignored(2)),
        ('{"type":3,"invocationId":"1"}', signalr.Ignored(3)),
    ],
)
def test_other_message_types_decode(record: str, decoded: signalr.Message) -> None:
    assert signalr.decode(record) == decoded


@pytest.mark.parametrize(
    "record",
    [
        "not json",
        "[]",
        "{}",
        '{"type":"1"}',
        '{"type":true}',
        '{"type":99}',
        '{"type":1,"arguments":[]}',
        '{"type":1,"target":"X","arguments":{}}',
        '{"type":1,"target":"X","arguments":[],"invocationId":5}',
    ],
)
def test_malformed_messages_are_protocol_errors(record: str) -> None:
    with pytest.raises(ProtocolError):
        signalr.decode(record)


def test_server_records_are_json_terminated_by_the_separator() -> None:
    assert signalr.HANDSHAKE_OK == "{}" + RS
    assert signalr.PING == '{"type":6}' + RS
    assert json.loads(signalr.handshake_error("nope")[:-1]) == {"error": "nope"}
    assert json.loads(signalr.completion("1")[:-1]) == {"type": 3, "invocationId": "1"}
    assert json.loads(signalr.completion("1", "bad")[:-1]) == {"type": 3, "invocationId": "1", "error": "bad"}
    assert json.loads(signalr.close()[:-1]) == {"type": 7}
    assert json.loads(signalr.close("x", allow_reconnect=True)[:-1]) == {
        "type": 7,
        "error": "x",
        "allowReconnect": True,
    }


def test_a_server_invocation_carries_the_payload_as_one_json_string_argument() -> None:
    payload = '{"type":"PlayerAssigned","tournamentId":"t","name":"Łukasz \\"Ł\\"","surname":"Żak"}'
    record = signalr.invocation("t", payload)
    assert record.endswith(RS)
    assert "Łukasz" in record  # non-ASCII written unescaped, as System.Text.Json's relaxed escaper does
    assert json.loads(record[:-1]) == {"type": 1, "target": "t", "arguments": [payload]}
