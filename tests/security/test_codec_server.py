"""The codec server over real HTTP, as the Web UI and the temporal CLI call it."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

import pytest

from flowkit.runtime import CodecServer, DevServer, EncryptionCodec, generate_key, parse_keys

UI = "http://localhost:8233"
PLAIN = {
    "payloads": [
        {
            "metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
            "data": base64.b64encode(b'{"card": "4111"}').decode(),
        }
    ]
}


@pytest.fixture
def server():
    codec = EncryptionCodec(parse_keys(generate_key("k1")))
    running = CodecServer(codec, port=0, token="s3cret", origins=[UI]).start()
    yield running
    running.stop()


def _call(server, path, body, *, method="POST", headers=None):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        server.url + path,
        data=data,
        method=method,
        headers={
            "Content-Type": "application/json",
            "X-Namespace": "default",
            "Authorization": "Bearer s3cret",
            "Origin": UI,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_encode_then_decode_round_trips(server):
    status, headers, body = _call(server, "/encode", PLAIN)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == UI
    sealed = json.loads(body)
    metadata = sealed["payloads"][0]["metadata"]
    assert base64.b64decode(metadata["encoding"]) == b"binary/encrypted"
    assert base64.b64decode(metadata["encryption-key-id"]) == b"k1"
    assert b"4111" not in base64.b64decode(sealed["payloads"][0]["data"])
    status, _, body = _call(server, "/decode", sealed)
    assert status == 200
    assert json.loads(body) == PLAIN


def test_cors_preflight_allows_the_ui(server):
    status, headers, _ = _call(
        server,
        "/decode",
        None,
        method="OPTIONS",
        headers={"Access-Control-Request-Headers": "content-type,x-namespace,authorization"},
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == UI
    assert headers["Access-Control-Allow-Credentials"] == "true"
    allowed = headers["Access-Control-Allow-Headers"].lower()
    for header in ("content-type", "x-namespace", "authorization"):
        assert header in allowed
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_another_origin_gets_no_cors_grant(server):
    _, headers, _ = _call(
        server, "/decode", None, method="OPTIONS", headers={"Origin": "http://evil"}
    )
    assert "Access-Control-Allow-Origin" not in headers


def test_a_bad_token_is_refused(server):
    status, _, _ = _call(server, "/decode", PLAIN, headers={"Authorization": "Bearer nope"})
    assert status == 401
    status, _, _ = _call(server, "/decode", PLAIN, headers={"Authorization": ""})
    assert status == 401


@pytest.mark.parametrize("body", [b"not json", b'{"payloads": 3}', b'{"nope": []}'])
def test_a_malformed_body_is_a_bad_request(server, body):
    status, _, _ = _call(server, "/decode", body)
    assert status == 400


def test_a_payload_that_does_not_decrypt_names_its_key(server):
    other = CodecServer(EncryptionCodec(parse_keys(generate_key("k9"))), port=0, origins=[UI])
    other.start()
    try:
        _, _, body = _call(other, "/encode", PLAIN)
    finally:
        other.stop()
    status, _, reply = _call(server, "/decode", json.loads(body))
    assert status == 422
    assert "k9" in json.loads(reply)["error"]


def test_flowkit_dev_points_the_ui_at_the_codec_server():
    command = DevServer(codec_endpoint="http://127.0.0.1:8081").command()
    assert command[command.index("--ui-codec-endpoint") + 1] == "http://127.0.0.1:8081"
    assert "--ui-codec-endpoint" not in DevServer().command()
