"""Outbound requests (webhook deliveries, URL imports, feed polls) connect only to the address that
passed the check: the host is resolved once, every address it has is checked, and the connection
goes to a checked address, with the Host header, TLS server name and certificate check made for
the real host name. Proxies from the environment are never used.

The servers here are real, on loopback addresses. Where a test needs DNS to answer something a
real resolver cannot be made to answer (a made-up name, a second answer different from the first,
as a rebinding attacker's DNS gives), a small resolver stands in for DNS.
"""

from __future__ import annotations

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import trustme

from articles.fetch import fetch_url
from articles.models import WebhookDelivery
from articles.outbound import OutboundSession, UnsafeURL, resolve_outbound_url
from articles.services.webhooks import webhook_attempt_delivery, webhook_subscribe
from tests.http_receiver import Receiver


class Server:
    """An HTTP(S) server on one loopback address that records every request it gets."""

    def __init__(self, address: str, port: int = 0, *, tls: ssl.SSLContext | None = None, hang_up: bool = False):
        self.address = address
        self.requests: list[dict] = []
        self.server_names: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append({"method": self.command, "path": self.path, "host": self.headers["Host"],
                                        "body": self.rfile.read(length)})
                if hang_up:  # the request arrived; the answer never comes
                    self.close_connection = True
                    return
                body = f"answered by {server.address}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            tls.sni_callback = lambda connection, name, context: server.server_names.append(name)
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class StandInDNS:
    """Answers lookups from a script: the n-th lookup gets the n-th answer (the last one repeats)."""

    def __init__(self, *answers: list[str]):
        self.answers = answers
        self.lookups: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        addresses = self.answers[min(len(self.lookups), len(self.answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]


@pytest.fixture
def servers():
    started: list[Server] = []

    def start(address: str, port: int = 0, **options) -> Server:
        server = Server(address, port, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def same_port(servers):
    """Two servers on one port: 127.0.0.2 (the address the check accepts) and 127.0.0.1 (another)."""

    def start(**first_options) -> tuple[Server, Server]:
        for _ in range(20):
            checked = servers("127.0.0.2", **first_options)
            try:
                other = servers("127.0.0.1", checked.port)
            except OSError:
                continue
            return checked, other
        pytest.fail("no port free on both 127.0.0.1 and 127.0.0.2")

    return start


@pytest.fixture
def two_servers_on_one_port(same_port):
    return same_port()


def test_the_connection_goes_to_the_address_that_was_checked_not_to_a_later_answer(two_servers_on_one_port):
    checked, other = two_servers_on_one_port
    # A rebinding DNS: the first answer is the one checked, every later one points elsewhere.
    dns = StandInDNS(["127.0.0.2"], ["127.0.0.1"])
    session = OutboundSession(allow_private=True, resolver=dns)

    response = session.get(f"http://news.example.test:{checked.port}/story", timeout=5)

    assert response.text == "answered by 127.0.0.2"
    assert response.url == f"http://news.example.test:{checked.port}/story"
    assert checked.requests == [{"method": "GET", "path": "/story", "host": f"news.example.test:{checked.port}",
                                 "body": b""}]
    assert other.requests == [], "nothing went to the address of a second lookup"
    assert dns.lookups == ["news.example.test"], "the name is resolved once"


def test_every_request_is_resolved_and_checked_on_its_own(two_servers_on_one_port):
    checked, other = two_servers_on_one_port
    dns = StandInDNS(["127.0.0.2"], ["127.0.0.1"])
    session = OutboundSession(allow_private=True, resolver=dns)

    first = session.get(f"http://news.example.test:{checked.port}/one", timeout=5)
    second = session.get(f"http://news.example.test:{checked.port}/two", timeout=5)

    assert (first.text, second.text) == ("answered by 127.0.0.2", "answered by 127.0.0.1")
    assert dns.lookups == ["news.example.test", "news.example.test"]


def test_a_name_with_one_private_address_among_public_ones_is_refused_before_connecting(servers):
    inside = servers("127.0.0.1")
    dns = StandInDNS(["93.184.216.34", "127.0.0.1"])
    session = OutboundSession(allow_private=False, resolver=dns)

    with pytest.raises(UnsafeURL, match=r"private or local address \(127\.0\.0\.1\)"):
        session.get(f"http://news.example.test:{inside.port}/", timeout=5)
    assert inside.requests == []


def test_a_private_address_is_refused_whatever_the_name(servers):
    inside = servers("127.0.0.1")
    session = OutboundSession(allow_private=False)

    for url in (f"http://localhost:{inside.port}/", f"http://127.0.0.1:{inside.port}/",
                f"http://[::ffff:127.0.0.1]:{inside.port}/"):
        with pytest.raises(UnsafeURL, match="private or local address"):
            session.get(url, timeout=5)
    assert inside.requests == []


def test_the_next_checked_address_is_tried_only_when_no_connection_could_be_made(two_servers_on_one_port):
    checked, other = two_servers_on_one_port
    # Nothing listens on 127.0.0.3: the connection is refused, and the next checked address is used.
    session = OutboundSession(allow_private=True, resolver=StandInDNS(["127.0.0.3", "127.0.0.2"]))

    response = session.post(f"http://news.example.test:{checked.port}/hook", data=b"{}", timeout=5)

    assert response.text == "answered by 127.0.0.2"
    assert other.requests == []


def test_a_request_that_reached_a_server_is_not_sent_again_to_another_address(same_port):
    hangs_up, answers = same_port(hang_up=True)
    session = OutboundSession(allow_private=True, resolver=StandInDNS(["127.0.0.2", "127.0.0.1"]))

    with pytest.raises(requests.ConnectionError):
        session.post(f"http://news.example.test:{hangs_up.port}/hook", data=b"{}", timeout=5)
    assert len(hangs_up.requests) == 1
    assert answers.requests == [], "a webhook is never delivered twice by one attempt"


def test_the_real_resolver_pins_localhost_to_an_address_it_answered(servers, settings):
    server = servers("127.0.0.1")
    target = resolve_outbound_url(f"http://localhost:{server.port}/x", allow_private=True)

    response = OutboundSession(allow_private=True).get(f"http://localhost:{server.port}/x", timeout=5)

    assert "127.0.0.1" in target.addresses
    assert response.text == "answered by 127.0.0.1"
    assert server.requests[0]["host"] == f"localhost:{server.port}"


# --- https: the connection goes to the checked address, TLS is for the real name -----------------


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def tls_for(ca, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


def test_https_to_a_pinned_address_names_the_real_host_and_checks_its_certificate(servers, ca, ca_file):
    server = servers("127.0.0.2", tls=tls_for(ca, "news.example.test"))
    session = OutboundSession(allow_private=True, resolver=StandInDNS(["127.0.0.2"], ["127.0.0.1"]))

    response = session.get(f"https://news.example.test:{server.port}/feed", verify=ca_file, timeout=5)

    assert response.text == "answered by 127.0.0.2"
    assert server.server_names == ["news.example.test"], "TLS server name (SNI)"
    assert server.requests[0]["host"] == f"news.example.test:{server.port}"


def test_https_refuses_a_certificate_for_another_name_even_at_the_checked_address(servers, ca, ca_file):
    server = servers("127.0.0.2", tls=tls_for(ca, "elsewhere.example.test", "127.0.0.2"))
    session = OutboundSession(allow_private=True, resolver=StandInDNS(["127.0.0.2"]))

    with pytest.raises(requests.exceptions.SSLError, match="news.example.test"):
        session.get(f"https://news.example.test:{server.port}/feed", verify=ca_file, timeout=5)
    assert server.requests == []


def test_https_with_the_real_resolver(servers, ca, ca_file):
    server = servers("127.0.0.1", tls=tls_for(ca, "localhost"))

    response = OutboundSession(allow_private=True).get(f"https://localhost:{server.port}/", verify=ca_file, timeout=5)

    assert response.text == "answered by 127.0.0.1"
    assert server.server_names == ["localhost"]


# --- proxies in the environment are not used --------------------------------------------------------


@pytest.fixture
def proxy_variables_pointing_nowhere(monkeypatch):
    """HTTP(S)_PROXY and ALL_PROXY set to a local port where nobody listens."""
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    proxy = f"http://127.0.0.1:{dead.getsockname()[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield proxy
    dead.close()


@pytest.mark.django_db
def test_a_webhook_delivery_arrives_although_the_environment_names_a_proxy(
    proxy_variables_pointing_nowhere, cast, settings
):
    settings.ALLOW_PRIVATE_URLS = True
    receiver = Receiver()
    try:
        subscription = webhook_subscribe(url=receiver.url, events=["item.updated"], by=cast.cms)
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event="item.updated", message_id="msg_proxy", payload={"ok": True}
        )
        # The environment is in effect: a client that honours it goes to the dead proxy.
        with pytest.raises(requests.exceptions.ProxyError):
            requests.post(receiver.url, data=b"{}", timeout=5)

        attempt = webhook_attempt_delivery(delivery_id=delivery.pk)
    finally:
        receiver.close()

    assert attempt.succeeded, attempt.error
    assert len(receiver.requests) == 1
    assert receiver.requests[0][0]["webhook-id"] == "msg_proxy"


def test_an_import_fetch_ignores_proxy_variables_too(proxy_variables_pointing_nowhere, servers, settings):
    settings.ALLOW_PRIVATE_URLS = True
    server = servers("127.0.0.1")

    fetched = fetch_url(f"http://127.0.0.1:{server.port}/story")

    assert fetched.content == b"answered by 127.0.0.1"
