"""A real HTTP server on loopback that serves chosen pages and feeds, for fetching and polling tests."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # before the response starts
    trickle: float = 0.0  # between bytes of the body
    send_length: bool = True


class Site:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.requests.append((self.path, headers))
                page = site.pages.get(self.path)
                if page is None:
                    self._reply(404, b"not found", "text/plain")
                    return
                time.sleep(page.delay)
                if page.etag and headers.get("if-none-match") == page.etag:
                    self.send_response(304)
                    self.send_header("ETag", page.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._reply(page.status, page.body, page.content_type, page)

            def _reply(self, status, body, content_type, page: Page | None = None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                if page is None or page.send_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                if page is not None:
                    if page.etag:
                        self.send_header("ETag", page.etag)
                    for name, value in page.headers.items():
                        self.send_header(name, value)
                self.end_headers()
                try:
                    if page is not None and page.trickle:
                        for byte in body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(page.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should
                if page is not None and not page.send_length:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes | str, **options) -> str:
        self.pages[path] = Page(body.encode("utf-8") if isinstance(body, str) else body, **options)
        return self.base + path

    def requests_for(self, path: str) -> list[dict]:
        return [headers for requested, headers in self.requests if requested == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
