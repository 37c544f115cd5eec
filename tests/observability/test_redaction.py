"""Log redaction: a corpus of true and false positives, and properties."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flowkit._sdk._log import configure_logging, log
from flowkit._sdk._redact import MASK, Redactor, luhn_ok

R = Redactor(keys=["customer_pin"], allow=["token_count"])

MASKED = [
    "Authorization: Bearer eyJhbGciOi.abcdefghijk.signature123",
    "bearer abcdefghijklmnop",
    "key sk-live-abcdefghijklmnop1234",
    "sk_test_ABCDEFGHIJKLMNOPQRST",
    "ghp_abcdefghijklmnopqrstuvwxyz123456",
    "AKIAIOSFODNN7EXAMPLE",
    "write to ada.lovelace+ops@example.co.uk today",
    "call +44 20 7946 0958",
    "call (555) 123-4567",
    "call 555-123-4567",
    "card 4111 1111 1111 1111",
    "card 4111-1111-1111-1111",
    "5500005555555559",
    "ssn 078-05-1120",
]
KEPT = [
    str(uuid.UUID("6f1c0b8e-8a53-4b0e-9c3b-1f2e3d4c5b6a")),
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "commit 214d397",
    "2026-12-02T13:10:22.123456Z",
    "epoch 1796216784",
    "order 4111111111111112 (fails Luhn)",
    "amount 12345.67 EUR",
    "run Checkout-1a2b3c4d attempt 3",
    "version 1.35.0",
    "port 127.0.0.1:7233",
    "ids 1234567890123",
]


@pytest.mark.parametrize("text", MASKED)
def test_secrets_and_personal_data_are_masked(text):
    out = R.text(text)
    assert MASK in out
    assert out != text


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_values_survive(text):
    assert R.text(text) == text


@pytest.mark.parametrize(
    "name", ["password", "db_password", "API_KEY", "x-api-key", "client_secret", "customer_pin"]
)
def test_fields_named_as_secrets_are_masked_whole(name):
    assert R.value(name, "anything at all") == MASK
    assert R.value(name, 12345) == MASK


def test_allowed_names_and_nested_values():
    assert R.value("token_count", 7) == 7
    nested = R.value("request", {"headers": {"authorization": "xyz"}, "to": "a@b.io", "n": 3})
    assert nested == {"headers": {"authorization": MASK}, "to": MASK, "n": 3}


def test_the_logger_masks_by_default():
    stream = io.StringIO()
    configure_logging(format="json", stream=stream)
    try:
        log.info("paid", email="ada@example.com", password="hunter2", order_id="o-42")
    finally:
        configure_logging()
    line = json.loads(stream.getvalue())
    assert line["email"] == MASK
    assert line["password"] == MASK
    assert line["order_id"] == "o-42"
    assert "hunter2" not in stream.getvalue()


@given(st.uuids())
def test_uuids_survive(value):
    assert R.text(str(value)) == str(value)


@given(st.binary(min_size=16, max_size=32))
def test_hex_hashes_survive(value):
    assert R.text(value.hex()) == value.hex()


@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_up_to_twelve_digits_survive(value):
    assert R.text(str(value)) == str(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(2560619580156839.0)  # 16 digits passing Luhn, as a float: once masked
def test_floats_survive(value):
    assert R.text(repr(value)) == repr(value)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_a_luhn_valid_card_number_is_always_masked(prefix):
    check = next(d for d in "0123456789" if luhn_ok("4" + prefix + d))
    assert R.text("4" + prefix + check) == MASK


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text):
    once = R.text(text)
    assert R.text(once) == once
