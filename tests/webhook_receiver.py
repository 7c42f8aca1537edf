"""A webhook receiver on 127.0.0.1 (a real HTTP server in a thread) that checks each request's
X-Desk-Signature the way an integrator would."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """A webhook receiver on loopback that checks each request's signature."""

    def __init__(self, port: int = 0) -> None:
        self.secret = ""
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                given = self.headers.get("X-Desk-Signature", "")
                if not hmac.compare_digest(given, f"sha256={expected}"):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                else:
                    receiver.requests.append(
                        {"json": json.loads(body), "headers": dict(self.headers)}
                    )
                    self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/desk-hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
