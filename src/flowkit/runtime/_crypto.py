"""Encryption keys: where they come from, how they are checked, and how they seal bytes.

Keys come from ``FLOWKIT_ENCRYPTION_KEYS`` (``key_id:base64key`` entries separated by
commas) or, when that is unset, from the file named by ``FLOWKIT_ENCRYPTION_KEY_FILE`` (or
the ``security.key_file`` setting): one ``key_id:base64key`` per line, ``#`` comments. The
first key encrypts; every key decrypts, which is how a key is rotated (put the new key
first, keep the old one after it until no run needs it).

Each key is 32 bytes (AES-256-GCM). Sealed bytes are ``nonce (12 bytes) || ciphertext ||
tag``; the key id and the compression flag are bound to them as associated data, so
editing either in a payload's metadata fails authentication like editing the ciphertext.

Keys are never printed: :class:`Key` and :class:`KeyRing` show only key ids, and no error
message contains key material.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from flowkit.errors import FlowkitError, UsageError

__all__ = [
    "KEYS_ENV",
    "KEY_FILE_ENV",
    "DecryptionError",
    "Key",
    "KeyConfigError",
    "KeyRing",
    "generate_key",
    "load_keys",
    "parse_keys",
]

KEYS_ENV = "FLOWKIT_ENCRYPTION_KEYS"
KEY_FILE_ENV = "FLOWKIT_ENCRYPTION_KEY_FILE"
KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class KeyConfigError(UsageError):
    """The encryption keys are malformed: bad base64, a wrong length, a duplicate id."""


class DecryptionError(FlowkitError):
    """A payload cannot be decrypted: its key is unknown here, or it fails authentication
    (the ciphertext or its metadata was altered, or it was sealed with another key under
    the same id).

    Attributes:
        key_id: the key id the payload names.
    """

    def __init__(self, key_id: str, reason: str) -> None:
        self.key_id = key_id
        super().__init__(f"cannot decrypt a payload sealed with key {key_id!r}: {reason}")


@dataclass(frozen=True)
class Key:
    """One AES-256 key and its id; the key bytes are left out of ``repr``."""

    id: str
    secret: bytes = field(repr=False)

    def seal(self, data: bytes, context: bytes) -> bytes:
        """Encrypt and authenticate ``data``, binding ``context`` (associated data)."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.secret).encrypt(nonce, data, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        """Decrypt ``sealed``; :class:`DecryptionError` if it fails authentication."""
        if len(sealed) < NONCE_BYTES + 16:
            raise DecryptionError(self.id, "the payload is truncated")
        try:
            return AESGCM(self.secret).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
        except InvalidTag:
            raise DecryptionError(
                self.id,
                "it fails authentication (the payload or its metadata was altered, or it "
                "was encrypted with a different key under this id)",
            ) from None


@dataclass(frozen=True)
class KeyRing:
    """The keys in force: the first encrypts, all decrypt."""

    keys: tuple[Key, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyConfigError("no encryption keys given")
        ids = [k.id for k in self.keys]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise KeyConfigError(f"encryption key id {duplicates[0]!r} is given twice")

    def __repr__(self) -> str:
        return f"KeyRing(ids={[k.id for k in self.keys]!r})"

    @property
    def primary(self) -> Key:
        """The key new payloads are encrypted with."""
        return self.keys[0]

    def get(self, key_id: str) -> Key:
        """The key with this id; :class:`DecryptionError` if there is none."""
        for key in self.keys:
            if key.id == key_id:
                return key
        known = ", ".join(repr(k.id) for k in self.keys)
        raise DecryptionError(key_id, f"no such key is configured here (known: {known})")


def _parse_entry(entry: str, where: str) -> Key:
    key_id, sep, encoded = entry.partition(":")
    key_id, encoded = key_id.strip(), encoded.strip()
    if not sep or not key_id:
        raise KeyConfigError(f"{where}: expected key_id:base64key")
    if not _KEY_ID.match(key_id):
        raise KeyConfigError(
            f"{where}: key id {key_id[:64]!r} must be 1-64 letters, digits, '.', '_' or '-'"
        )
    try:
        secret = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{where}: key {key_id!r} is not valid base64") from None
    if len(secret) != KEY_BYTES:
        raise KeyConfigError(
            f"{where}: key {key_id!r} is {len(secret)} bytes; AES-256 needs {KEY_BYTES} "
            "(make one with `flowkit codec-server --new-key`)"
        )
    return Key(key_id, secret)


def parse_keys(text: str, source: str = KEYS_ENV) -> KeyRing:
    """Parse ``key_id:base64key`` entries separated by commas or new lines.

    Raises:
        KeyConfigError: an entry is malformed; the message names ``source`` and the
            entry's position and key id, never the key.
    """
    entries = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        entries += [e for e in line.split(",") if e.strip()]
    return KeyRing(tuple(_parse_entry(e, f"{source} entry {n}") for n, e in enumerate(entries, 1)))


def load_keys(
    environ: Mapping[str, str] | None = None, key_file: str | None = None
) -> KeyRing | None:
    """The keys from the environment (or ``key_file``), or ``None`` when none are set.

    Raises:
        KeyConfigError: the keys are malformed or the key file cannot be read.
    """
    env = os.environ if environ is None else environ
    if env.get(KEYS_ENV, "").strip():
        return parse_keys(env[KEYS_ENV])
    path = env.get(KEY_FILE_ENV, "").strip() or key_file
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyConfigError(f"cannot read the key file {path}: {exc.strerror}") from None
    return parse_keys(text, source=f"key file {path}")


def generate_key(key_id: str) -> str:
    """A new random key as a ``key_id:base64key`` entry."""
    _parse_entry(f"{key_id}:{base64.b64encode(bytes(KEY_BYTES)).decode()}", "key id")
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"
