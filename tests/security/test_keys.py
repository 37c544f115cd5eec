"""Keys and the encryption codec, without a server."""

from __future__ import annotations

import asyncio
import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st
from temporalio.api.common.v1 import Payload

from flowkit.runtime import (
    DecryptionError,
    EncryptionCodec,
    KeyConfigError,
    generate_key,
    load_keys,
    parse_keys,
)

K1 = generate_key("k1")
K2 = generate_key("k2")
SECRET_B64 = K1.split(":", 1)[1]


def _seal(codec: EncryptionCodec, data: bytes = b'{"a": 1}') -> Payload:
    payload = Payload(metadata={"encoding": b"json/plain"}, data=data)
    return asyncio.run(codec.encode([payload]))[0]


def _open(codec: EncryptionCodec, payload: Payload) -> Payload:
    return asyncio.run(codec.decode([payload]))[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k1:@@@", "FLOWKIT_ENCRYPTION_KEYS entry 1: key 'k1' is not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "key 'k1' is 5 bytes; AES-256 needs 32"),
        ("nokey", "entry 1: expected key_id:base64key"),
        (f"{K1},{K1}", "key id 'k1' is given twice"),
        (f"bad id:{SECRET_B64}", "must be 1-64 letters"),
        ("", "no encryption keys given"),
    ],
)
def test_malformed_keys_are_clear_usage_errors_without_the_key(text, message):
    with pytest.raises(KeyConfigError, match=message) as caught:
        parse_keys(text)
    assert SECRET_B64 not in str(caught.value)
    assert caught.value.exit_code == 2


def test_repr_shows_key_ids_only():
    ring = parse_keys(f"{K1},{K2}")
    for shown in (repr(ring), repr(ring.primary), repr(EncryptionCodec(ring))):
        assert SECRET_B64 not in shown
        assert "k1" in shown
    assert ring.primary.id == "k1"


def test_keys_come_from_the_environment_or_a_file(tmp_path):
    assert load_keys({}) is None
    assert load_keys({"FLOWKIT_ENCRYPTION_KEYS": K1}).primary.id == "k1"
    key_file = tmp_path / "keys"
    key_file.write_text(f"# newest first\n{K2}\n{K1}\n")
    ring = load_keys({"FLOWKIT_ENCRYPTION_KEY_FILE": str(key_file)})
    assert [k.id for k in ring.keys] == ["k2", "k1"]
    assert load_keys({}, key_file=str(key_file)).primary.id == "k2"
    with pytest.raises(KeyConfigError, match="cannot read the key file"):
        load_keys({"FLOWKIT_ENCRYPTION_KEY_FILE": str(tmp_path / "missing")})


@given(st.binary(max_size=2000), st.booleans())
def test_round_trip(data, compress):
    codec = EncryptionCodec(parse_keys(K1), compress=compress)
    sealed = _seal(codec, data)
    assert sealed.metadata["encryption-key-id"] == b"k1"
    assert _open(codec, sealed).data == data


def test_rotation_decrypts_old_payloads_and_seals_with_the_new_key():
    old = _seal(EncryptionCodec(parse_keys(K1)))
    rotated = EncryptionCodec(parse_keys(f"{K2},{K1}"))
    assert _open(rotated, old).data == b'{"a": 1}'
    assert _seal(rotated).metadata["encryption-key-id"] == b"k2"


def test_plain_payloads_pass_through():
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b"1")
    assert _open(EncryptionCodec(parse_keys(K1)), plain) == plain


@pytest.mark.parametrize("part", ["data", "key-id", "compression", "truncated"])
def test_tampering_fails_authentication_naming_the_key(part):
    codec = EncryptionCodec(parse_keys(f"{K1},{K2}"))
    sealed = _seal(codec)
    if part == "data":
        sealed.data = bytes([sealed.data[0] ^ 1]) + sealed.data[1:]
    elif part == "key-id":
        sealed.metadata["encryption-key-id"] = b"k2"
    elif part == "compression":
        sealed.metadata["flowkit-compression"] = b"none"
    else:
        sealed.data = sealed.data[:10]
    with pytest.raises(DecryptionError, match=r"sealed with key 'k[12]'") as caught:
        _open(codec, sealed)
    assert caught.value.key_id in ("k1", "k2")


def test_an_unknown_key_id_is_named():
    sealed = _seal(EncryptionCodec(parse_keys(K2)))
    with pytest.raises(DecryptionError, match=r"key 'k2'.*no such key.*known: 'k1'"):
        _open(EncryptionCodec(parse_keys(K1)), sealed)
