"""A fake Bot Framework OpenID endpoint (metadata document and key set) on loopback, in its own thread.

Its own thread, so that a blocking fetch on the bot's event loop (what botbuilder does) still gets an answer
instead of deadlocking the test. `gate` can hold every answer until released, as a slow endpoint would.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

SAFETY_SECONDS = 10.0  # a held answer goes out on its own after this, so a frozen caller ends instead of hanging


class FakeOpenId:
    def __init__(self, key: rsa.RSAPrivateKey, kid: str = "bf-signing-key") -> None:
        self.keys = [json.loads(RSAAlgorithm.to_jwk(key.public_key())) | {"kid": kid, "endorsements": ["msteams"]}]
        self.requests: list[str] = []
        self.arrived = threading.Event()  # a request is in (possibly held)
        self.gate = threading.Event()
        self.gate.set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1/.well-known/openidconfiguration"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenId:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.gate.set()
        self._server.shutdown()
        self._server.server_close()

    def metadata_requests(self) -> int:
        return sum(1 for path in self.requests if path.endswith("openidconfiguration"))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                fake.requests.append(self.path)
                fake.arrived.set()
                fake.gate.wait(SAFETY_SECONDS)
                base = f"http://127.0.0.1:{fake._server.server_address[1]}"
                body: Any = {"jwks_uri": f"{base}/keys"} if self.path.endswith("openidconfiguration") \
                    else {"keys": fake.keys}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                return None

        return Handler
