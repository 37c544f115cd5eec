"""Payload security with Restack's names (``restack_ai.security``).

Re-exports Temporal's converter types (``converter``, ``DataConverter``, ``Payload``,
``Payloads``, ``PayloadCodec``) and Restack's sensitive-fields codec: mark values with
:class:`Sensitive` (a model field) or :func:`sensitive` (a plain dict), and
:class:`SensitiveFieldsCodec` encrypts just those values, leaving the rest of the payload
readable in the Web UI. The wire format is Restack's, so either side can read the other's
payloads::

    from flowkit import Client
    from flowkit.security import SensitiveFieldsCodec, create_aes_gcm_encryption

    codec = SensitiveFieldsCodec(create_aes_gcm_encryption(key))  # key: 32 bytes
    client = Client(payload_codec=codec)                      # and the same on workers

This is not flowkit's own field sealing (:data:`flowkit.runtime.Sensitive`, an annotation
keyed by ``FLOWKIT_ENCRYPTION_KEYS``, which needs no codec); both may be used.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import temporalio.converter
from pydantic import BaseModel, model_serializer, model_validator
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.converter import DataConverter, PayloadCodec

from flowkit.runtime import Key, KeyConfigError

__all__ = [
    "ENCRYPTED_MARKER_KEY",
    "SENSITIVE_MARKER_KEY",
    "DataConverter",
    "Payload",
    "PayloadCodec",
    "Payloads",
    "Sensitive",
    "SensitiveEncryption",
    "SensitiveFieldsCodec",
    "converter",
    "create_aes_gcm_encryption",
    "sensitive",
]

converter = temporalio.converter

#: The JSON key that marks a value to encrypt.
SENSITIVE_MARKER_KEY = "__restack_sensitive__"
#: The JSON key of an encrypted value.
ENCRYPTED_MARKER_KEY = "__restack_encrypted__"
_ALGORITHM = "AES-256-GCM"
_NONCE_BYTES = 12
T = TypeVar("T")


class Sensitive(BaseModel, Generic[T]):
    """A value :class:`SensitiveFieldsCodec` encrypts: ``password: Sensitive[str]``.

    On the wire it is ``{"__restack_sensitive__": true, "value": ...}`` before the codec
    and ciphertext after it; the receiver gets a ``Sensitive`` back (``.unwrap()``).
    """

    value: T

    def unwrap(self) -> T:
        """The wrapped value."""
        return self.value

    @model_serializer(mode="plain")
    def _serialize(self) -> dict[str, Any]:
        return {SENSITIVE_MARKER_KEY: True, "value": self.value}

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get(SENSITIVE_MARKER_KEY) is True:
            return {"value": data.get("value")}
        return data


def sensitive(value: Any) -> dict[str, Any]:
    """The plain-dict form of :class:`Sensitive`, for inputs that are dicts."""
    return {SENSITIVE_MARKER_KEY: True, "value": value}


@runtime_checkable
class SensitiveEncryption(Protocol):
    """What :class:`SensitiveFieldsCodec` encrypts with (plug in a KMS here)."""

    async def encrypt(self, plaintext: bytes) -> tuple[bytes, bytes, str]:
        """Return ``(iv, ciphertext, algorithm)``."""
        ...

    async def decrypt(self, iv: bytes, ciphertext: bytes, alg: str) -> bytes:
        """Return the plaintext."""
        ...


class _AesGcm:
    def __init__(self, key: Key) -> None:
        self._key = key

    async def encrypt(self, plaintext: bytes) -> tuple[bytes, bytes, str]:
        sealed = self._key.seal(plaintext, b"")  # nonce + ciphertext and tag, no context
        return sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _ALGORITHM

    async def decrypt(self, iv: bytes, ciphertext: bytes, alg: str) -> bytes:
        if alg != _ALGORITHM:
            raise KeyConfigError(f"a sensitive field is encrypted with {alg!r}, not {_ALGORITHM}")
        return self._key.open(iv + ciphertext, b"")


def create_aes_gcm_encryption(key: bytes) -> SensitiveEncryption:
    """AES-256-GCM with a 32-byte ``key`` (a fresh 12-byte IV per value).

    Raises:
        KeyConfigError: the key is not 32 bytes.
    """
    if len(key) != 32:
        raise KeyConfigError(f"an AES-256 key is 32 bytes, not {len(key)}")
    return _AesGcm(Key("sensitive-fields", key))


def _is_json(payload: Payload) -> bool:
    return payload.metadata.get("encoding") == b"json/plain" and bool(payload.data)


class SensitiveFieldsCodec(PayloadCodec):
    """Encrypt the values marked :class:`Sensitive` in JSON payloads; decrypt them back.

    Args:
        encryption: see :func:`create_aes_gcm_encryption`.
    """

    def __init__(self, encryption: SensitiveEncryption) -> None:
        self.encryption = encryption

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Encrypt every marked value."""
        return [await self._transform(p, self._seal) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Decrypt every encrypted value (back to its marked form)."""
        return [await self._transform(p, self._open) for p in payloads]

    async def _transform(self, payload: Payload, one: Any) -> Payload:
        if not _is_json(payload):
            return payload
        try:
            parsed = json.loads(payload.data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return payload
        changed = await self._walk(parsed, one)
        if changed is parsed:
            return payload
        out = Payload()
        out.CopyFrom(payload)
        out.data = json.dumps(changed).encode()
        return out

    async def _walk(self, node: Any, one: Any) -> Any:
        replaced = await one(node)
        if replaced is not None:
            return replaced
        if isinstance(node, list):
            items = [await self._walk(item, one) for item in node]
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        if isinstance(node, dict):
            values = {k: await self._walk(v, one) for k, v in node.items()}
            return node if all(values[k] is node[k] for k in node) else values
        return node

    async def _seal(self, node: Any) -> dict[str, Any] | None:
        if not (isinstance(node, dict) and node.get(SENSITIVE_MARKER_KEY) is True):
            return None
        iv, ciphertext, alg = await self.encryption.encrypt(json.dumps(node.get("value")).encode())
        return {
            ENCRYPTED_MARKER_KEY: "v1",
            "alg": alg,
            "iv": base64.b64encode(iv).decode("ascii"),
            "ct": base64.b64encode(ciphertext).decode("ascii"),
        }

    async def _open(self, node: Any) -> dict[str, Any] | None:
        if not (
            isinstance(node, dict)
            and node.get(ENCRYPTED_MARKER_KEY) == "v1"
            and isinstance(node.get("iv"), str)
            and isinstance(node.get("ct"), str)
        ):
            return None
        plaintext = await self.encryption.decrypt(
            base64.b64decode(node["iv"]), base64.b64decode(node["ct"]), str(node.get("alg"))
        )
        return {SENSITIVE_MARKER_KEY: True, "value": json.loads(plaintext)}
