"""A local HTTP server for api_call and the OpenAI-compatible provider (never the internet)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = (json.dumps(body) if content_type == "application/json" else body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        hits = self.server.hits
        hits[path] += 1
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        self.server.requests.append(
            {"path": self.path, "method": self.command, "headers": dict(self.headers), "body": raw}
        )
        if path == "/slow":
            time.sleep(1)
            self._send(200, {"late": True})
        elif path == "/flaky" and hits[path] <= 2:
            self._send(503, {"error": "busy"})
        elif path == "/broken":
            self._send(500, {"error": "always broken"})
        elif path == "/missing":
            self._send(404, "no such thing here", "text/plain")
        elif path == "/v1/chat/completions":
            ask = json.loads(raw)
            content = json.dumps({"title": "From the fake model", "words": 3})
            self._send(
                200,
                {
                    "model": ask["model"],
                    "choices": [{"message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 7},
                },
            )
        else:
            echo = json.loads(raw) if raw else None
            self._send(200, {"path": self.path, "method": self.command, "json": echo})

    do_GET = do_POST = do_PUT = _answer


@contextmanager
def serve() -> Iterator[Any]:
    """Serve on 127.0.0.1 and a free port; yields the server (``.url``, ``.hits``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.hits = Counter()  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
