"""The encryption codec: every payload sealed with AES-256-GCM, compressed first.

An encoded payload is a new ``Payload`` whose data is the sealed bytes of the original
payload (its metadata and data, serialized), with this metadata, all readable by a codec
server and none of it secret::

    encoding            binary/encrypted
    encryption-key-id   the id of the key that sealed it
    encryption-cipher   AES-256-GCM
    flowkit-compression zlib | none

Payloads without ``encoding: binary/encrypted`` pass through decoding untouched, so runs
started before encryption was turned on still read. A payload that does not decrypt
raises :class:`~flowkit.runtime.DecryptionError` naming its key id, never garbage.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from flowkit import policy
from flowkit.runtime._crypto import DecryptionError, KeyRing, load_keys

__all__ = ["ENCRYPTED_ENCODING", "EncryptionCodec", "codec_from_environment"]

ENCRYPTED_ENCODING = b"binary/encrypted"
CIPHER = b"AES-256-GCM"
_KEY_ID = "encryption-key-id"
_COMPRESSION = "flowkit-compression"


def _context(key_id: str, compression: bytes) -> bytes:
    # Associated data: altering the key id or the compression flag fails authentication.
    return b"flowkit/1;" + key_id.encode() + b";" + compression


class EncryptionCodec(PayloadCodec):
    """Seal payloads with the first key of ``keys``; open them with whichever key they name.

    Args:
        keys: the key ring (see :func:`flowkit.runtime.load_keys`).
        compress: zlib-compress each payload before encrypting it (ciphertext does not
            compress; JSON usually shrinks by half or more).
    """

    def __init__(self, keys: KeyRing, *, compress: bool = True) -> None:
        self.keys = keys
        self.compress = compress

    def __repr__(self) -> str:
        return f"EncryptionCodec({self.keys!r}, compress={self.compress})"

    def encode_one(self, payload: Payload) -> Payload:
        """Seal one payload (one already sealed is returned as it is)."""
        if payload.metadata.get("encoding") == ENCRYPTED_ENCODING:
            return payload
        key = self.keys.primary
        data = payload.SerializeToString()
        compression = b"none"
        if self.compress:
            data, compression = zlib.compress(data, 6), b"zlib"
        sealed = key.seal(data, _context(key.id, compression))
        return Payload(
            metadata={
                "encoding": ENCRYPTED_ENCODING,
                _KEY_ID: key.id.encode(),
                "encryption-cipher": CIPHER,
                _COMPRESSION: compression,
            },
            data=sealed,
        )

    def decode_one(self, payload: Payload) -> Payload:
        """Open one payload; pass through one that is not sealed.

        Raises:
            DecryptionError: its key is unknown, or it fails authentication.
        """
        if payload.metadata.get("encoding") != ENCRYPTED_ENCODING:
            return payload
        key_id = payload.metadata.get(_KEY_ID, b"").decode("utf-8", "replace")
        if not key_id:
            raise DecryptionError("", "the payload names no key id")
        compression = payload.metadata.get(_COMPRESSION, b"none")
        data = self.keys.get(key_id).open(payload.data, _context(key_id, compression))
        try:
            if compression == b"zlib":
                data = zlib.decompress(data)
            return Payload.FromString(data)
        except (zlib.error, DecodeError):  # authenticated, so only a bug of ours gets here
            raise DecryptionError(key_id, "the decrypted bytes are not a payload") from None

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Seal every payload with the primary key."""
        return [self.encode_one(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Open every sealed payload."""
        return [self.decode_one(p) for p in payloads]


def codec_from_environment(
    environ: Mapping[str, str] | None = None,
    settings: policy.SecuritySettings | None = None,
) -> EncryptionCodec | None:
    """The codec the environment asks for, or ``None`` when no keys are set.

    Keys: ``FLOWKIT_ENCRYPTION_KEYS``, else the file named by ``FLOWKIT_ENCRYPTION_KEY_FILE``
    or the ``security.key_file`` setting; compression: the ``security.compress`` setting.
    With ``security.encrypt_payloads`` off no whole-payload codec is made.

    Raises:
        KeyConfigError: the keys are malformed.
    """
    settings = settings or policy.current().security
    keys = load_keys(environ, settings.key_file)
    if keys is None or not settings.encrypt_payloads:
        return None
    return EncryptionCodec(keys, compress=settings.compress)
