"""``Sensitive[T]``: a model field sealed on its own, even without whole-payload encryption.

``card: Sensitive[str]`` on a pydantic model is serialized to JSON (what Temporal stores)
as ``"flowkit-sealed:<key id>:<base64>"`` — AES-256-GCM with the first key of
``FLOWKIT_ENCRYPTION_KEYS`` — and read back to a ``str`` by the receiving model. It is
sealed whether or not ``security.encrypt_payloads`` is on; without keys it is refused
(``KeyConfigError``) rather than stored in the clear. The field is left out of its model's
``repr`` (what log lines print).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import to_jsonable_python

from flowkit.runtime._crypto import DecryptionError, KeyConfigError, KeyRing, load_keys

__all__ = ["SEALED_PREFIX", "Sensitive", "open_field", "seal_field"]

SEALED_PREFIX = "flowkit-sealed:"
T = TypeVar("T")


def _keys() -> KeyRing:
    keys = load_keys()
    if keys is None:
        raise KeyConfigError(
            "a Sensitive field needs an encryption key: set FLOWKIT_ENCRYPTION_KEYS "
            "or FLOWKIT_ENCRYPTION_KEY_FILE"
        )
    return keys


def _context(key_id: str) -> bytes:
    return b"flowkit-field/1;" + key_id.encode()


def seal_field(value: Any, keys: KeyRing | None = None) -> str:
    """The sealed string form of a field's value."""
    key = (keys or _keys()).primary
    data = json.dumps(to_jsonable_python(value), separators=(",", ":")).encode()
    sealed = base64.b64encode(key.seal(data, _context(key.id))).decode()
    return f"{SEALED_PREFIX}{key.id}:{sealed}"


def open_field(value: Any, keys: KeyRing | None = None) -> Any:
    """A field's value from its sealed form; any other value is returned as it is."""
    if not isinstance(value, str) or not value.startswith(SEALED_PREFIX):
        return value
    key_id, _, encoded = value[len(SEALED_PREFIX) :].partition(":")
    try:
        sealed = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(key_id, "the sealed field is not base64") from None
    key = (keys or _keys()).get(key_id)
    return json.loads(key.open(sealed, _context(key_id)))


class _Mask:
    """The marker that tells redaction (and readers of a model's annotations) a field is
    sensitive."""

    def __repr__(self) -> str:
        return "Sensitive"


SENSITIVE = _Mask()


class _SensitiveAlias:
    def __getitem__(self, item: Any) -> Any:
        return Annotated[
            item,
            BeforeValidator(open_field),
            PlainSerializer(seal_field, return_type=str, when_used="json"),
            WithJsonSchema({"type": "string", "format": "flowkit-sealed"}),
            Field(repr=False),
            SENSITIVE,
        ]


#: ``Sensitive[str]``: a model field encrypted on its own (see the module docstring).
Sensitive: Any = _SensitiveAlias()
