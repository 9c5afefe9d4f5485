"""A fault-injecting HTTP proxy in front of the S3 server (moto): it forwards every request unchanged, except that
the next N requests can be answered with a 500 (S3's InternalError) or held longer than the client waits. Workers
in other processes reach it by its URL like any S3 endpoint."""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

INTERNAL_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
    b"<Message>We encountered an internal error. Please try again.</Message></Error>"
)


class FaultyS3:
    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.lock = threading.Lock()
        self.errors_left = 0
        self.stalls_left = 0
        self.stall_seconds = 0.0
        self.seen = {"forwarded": 0, "errors": 0, "stalls": 0}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                sent = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(sent) if sent else b""
                fault = proxy._take()
                if fault == "error":
                    self.send_response(500)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(INTERNAL_ERROR)))
                    self.end_headers()
                    if self.command != "HEAD":  # a HEAD answer never has a body
                        self.wfile.write(INTERNAL_ERROR)
                    return
                if fault == "stall":
                    time.sleep(proxy.stall_seconds)  # the client has given up by now
                upstream = http.client.HTTPConnection(str(proxy.upstream.hostname), proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                # A HEAD answer has no body but names the object's length: pass that on as it is.
                answered = str(answer.getheader("Content-Length") or 0) if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", answered)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _take(self) -> str | None:
        with self.lock:
            if self.errors_left > 0:
                self.errors_left -= 1
                self.seen["errors"] += 1
                return "error"
            if self.stalls_left > 0:
                self.stalls_left -= 1
                self.seen["stalls"] += 1
                return "stall"
            self.seen["forwarded"] += 1
            return None

    def fail_next(self, n: int) -> None:
        with self.lock:
            self.errors_left = n

    def stall_next(self, n: int, seconds: float) -> None:
        with self.lock:
            self.stalls_left, self.stall_seconds = n, seconds

    def start(self) -> FaultyS3:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
