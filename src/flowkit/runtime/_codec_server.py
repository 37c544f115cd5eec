"""A codec server for the Temporal Web UI and the ``temporal`` CLI (standard library only).

``POST /encode`` and ``POST /decode`` take and return the JSON form of Temporal's
``Payloads`` (``{"payloads": [{"metadata": {k: base64}, "data": base64}]}``), which is what
the UI's "Remote Codec Endpoint" and ``temporal --codec-endpoint`` send. Browsers call it
directly, so it answers CORS preflights for the allowed origins (the UI's), including the
``X-Namespace`` and ``Authorization`` headers the UI sends. With a token, every request
must carry ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.converter import PayloadCodec

from flowkit.errors import FlowkitError

__all__ = ["CodecServer"]

_MAX_BODY = 8_000_000
_ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization, Caller-Type"


class CodecServer:
    """Serve ``codec`` over HTTP on ``host:port`` (port 0 picks a free one).

    Args:
        codec: the codec (usually :class:`flowkit.runtime.EncryptionCodec`).
        token: a bearer token every request must carry; ``None`` for none.
        origins: browser origins allowed by CORS (``*`` allows any).
    """

    def __init__(
        self,
        codec: PayloadCodec,
        *,
        host: str = "127.0.0.1",
        port: int = 8081,
        token: str | None = None,
        origins: Sequence[str] = ("http://localhost:8233", "http://127.0.0.1:8233"),
    ) -> None:
        self.codec = codec
        self.token = token
        self.origins = tuple(origins)
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"CodecServer({self.url!r}, token={'set' if self.token else None})"

    @property
    def url(self) -> str:
        """The endpoint to give the UI (``--ui-codec-endpoint``) or ``--codec-endpoint``."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> CodecServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`stop` (or Ctrl-C)."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def allowed_origin(self, origin: str | None) -> str | None:
        """The value of ``Access-Control-Allow-Origin`` for a request from ``origin``."""
        if origin is None:
            return None
        if "*" in self.origins or origin in self.origins:
            return origin
        return None

    def authorized(self, header: str | None) -> bool:
        """Whether an ``Authorization`` header carries the token (always, without one)."""
        if not self.token:
            return True
        return hmac.compare_digest((header or "").encode(), f"Bearer {self.token}".encode())

    def transform(self, path: str, body: bytes) -> bytes:
        """Encode or decode a ``Payloads`` JSON body; :class:`ValueError` if malformed."""
        message = Payloads()
        try:
            json_format.Parse(body.decode("utf-8"), message)
        except (json_format.ParseError, UnicodeDecodeError) as exc:
            raise ValueError(f"the body is not Payloads JSON: {exc}") from None
        work = self.codec.encode if path == "/encode" else self.codec.decode
        result = asyncio.run(work(list(message.payloads)))
        return json_format.MessageToJson(Payloads(payloads=result)).encode()


def _handler(server: CodecServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "flowkit-codec"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: bodies are secret
            return

        def _cors(self) -> None:
            origin = server.allowed_origin(self.headers.get("Origin"))
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Allow-Credentials", "true")
                self.send_header("Vary", "Origin")

        def _reply(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
            self.send_response(status)
            self._cors()
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._reply(status, f'{{"error": "{message}"}}'.encode())

        def do_OPTIONS(self) -> None:
            self.send_response(HTTPStatus.OK)
            self._cors()
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", _ALLOWED_HEADERS)
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0].rstrip("/")
            if path not in ("/encode", "/decode"):
                return self._error(HTTPStatus.NOT_FOUND, "POST /encode or /decode")
            if not server.authorized(self.headers.get("Authorization")):
                return self._error(HTTPStatus.UNAUTHORIZED, "a valid bearer token is required")
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > _MAX_BODY:
                return self._error(HTTPStatus.BAD_REQUEST, "a Payloads JSON body is required")
            try:
                body = server.transform(path, self.rfile.read(length))
            except ValueError:
                return self._error(HTTPStatus.BAD_REQUEST, "the body is not Payloads JSON")
            except FlowkitError as exc:  # a payload that does not decrypt: say which key
                message = str(exc).replace('"', "'")
                return self._error(HTTPStatus.UNPROCESSABLE_ENTITY, message)
            self._reply(HTTPStatus.OK, body)

    return Handler
