"""``flowkit codec-server``: decrypt payloads for the Web UI and the ``temporal`` CLI."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

from flowkit.errors import UsageError

if TYPE_CHECKING:
    from flowkit.runtime import CodecServer

__all__ = ["codec_server", "register"]

TOKEN_ENV = "FLOWKIT_CODEC_TOKEN"


def start_codec_server(host: str, port: int, token: str | None, origins: list[str]) -> CodecServer:
    """A running codec server over the environment's keys (``UsageError`` without keys)."""
    from flowkit import policy
    from flowkit.runtime import CodecServer, EncryptionCodec, load_keys

    settings = policy.current().security
    keys = load_keys(None, settings.key_file)
    if keys is None:
        raise UsageError(
            "no encryption keys: set FLOWKIT_ENCRYPTION_KEYS (key_id:base64key, ...) or "
            "FLOWKIT_ENCRYPTION_KEY_FILE; make a key with `flowkit codec-server --new-key ID`"
        )
    codec = EncryptionCodec(keys, compress=settings.compress)
    try:
        server = CodecServer(
            codec, host=host, port=port, token=token, origins=origins or settings.codec_cors_origins
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return server.start()


def codec_server(
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8081, help="Port to listen on."),
    origin: list[str] = typer.Option(
        [], "--origin", help="Browser origin allowed by CORS (repeatable; default: the UI's)."
    ),
    new_key: str = typer.Option(
        None, "--new-key", metavar="ID", help="Print a new key_id:base64key entry and exit."
    ),
) -> None:
    """Serve /encode and /decode with the environment's keys (token: FLOWKIT_CODEC_TOKEN)."""
    if new_key:
        from flowkit.runtime import generate_key

        typer.echo(generate_key(new_key))
        return
    import threading

    server = start_codec_server(host, port, os.environ.get(TOKEN_ENV) or None, origin)
    typer.echo(f"codec server on {server.url}")
    typer.echo(f"use it: temporal workflow show --codec-endpoint {server.url} ...")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


def register(app: typer.Typer) -> None:
    """Add the command to the main app."""
    app.command("codec-server")(codec_server)
