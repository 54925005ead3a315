"""Which addresses the service may send requests to (webhooks) or fetch from (imports), and how.

Only http(s), and only hosts that resolve to public addresses, unless the deployment
allows private ones: otherwise anyone who can register a URL could make the server probe
its own network.

Checking a name and then letting an HTTP client look it up again would leave a gap: a
name whose DNS answers a public address to the check and a private one a moment later
(DNS rebinding) would slip through. So every request goes through ``outbound_session()``:
for each request it sends, redirects included, it resolves the host once, checks every
address it got, and connects to one of those very addresses, while the Host header, the
TLS server name (SNI) and the certificate check still use the real host name. Proxies
from the environment are never used: a proxy would make its own, unchecked, connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


class UnsafeURL(ValueError):
    """The URL may not be contacted; the message says why."""


Resolver = Callable[..., list]


def check_outbound_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse ``url`` unless the service may contact it (raises UnsafeURL saying why).

    This validates an address when it is registered (a webhook, a feed). The requests
    themselves are checked again, and pinned, when they are sent (``outbound_session``).
    """
    _split(url)
    if not allow_private:
        resolve_outbound_url(url, allow_private=False)


@dataclass(frozen=True)
class OutboundTarget:
    """A URL whose host was resolved once, with every address checked: connect only to these."""

    url: str
    scheme: str
    hostname: str
    port: int
    addresses: tuple[str, ...]
    host_header: str

    def url_for(self, address: str) -> str:
        """The URL with its host replaced by ``address``, the place the connection goes to."""
        parts = urlsplit(self.url)
        literal = f"[{address.replace('%', '%25')}]" if ":" in address else address
        return parts._replace(netloc=f"{literal}:{self.port}").geturl()


def resolve_outbound_url(
    url: str, *, allow_private: bool = False, resolver: Resolver = socket.getaddrinfo
) -> OutboundTarget:
    """Resolve the host of ``url`` once and check every address; UnsafeURL if any may not be contacted."""
    parts = _split(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = resolver(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeURL(f"the host {parts.hostname!r} cannot be resolved") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeURL(f"the host {parts.hostname!r} cannot be resolved")
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if ip.version == 6 and ip.ipv4_mapped is not None:
                ip = ip.ipv4_mapped
            if not ip.is_global:
                raise UnsafeURL(f"the host {parts.hostname!r} is a private or local address ({ip})")
    host_header = parts.netloc.rpartition("@")[2]
    return OutboundTarget(
        url=url, scheme=parts.scheme, hostname=parts.hostname, port=port, addresses=tuple(addresses),
        host_header=host_header,
    )


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  a malformed port raises here
    except ValueError as error:
        raise UnsafeURL(f"the address is malformed ({error})") from None
    if parts.scheme not in {"http", "https"}:
        raise UnsafeURL("only http and https addresses are allowed")
    if not parts.hostname:
        raise UnsafeURL("the address has no host")
    if parts.username or parts.password:
        raise UnsafeURL("addresses with credentials are not allowed")
    return parts


class PinnedAdapter(HTTPAdapter):
    """Sends each request to an address that passed the check, never to a second lookup's answer.

    The request goes to ``http(s)://<checked address>:<port>/...`` with the original Host
    header; for https the TLS handshake names the real host (SNI) and the certificate must
    be valid for it. When a name has several addresses (IPv6 and IPv4), they are tried in
    the resolver's order, moving on only when no connection could be made at all.
    """

    def __init__(self, *, allow_private: bool | None = None, resolver: Resolver = socket.getaddrinfo, **kwargs):
        self.allow_private = allow_private  # None: settings.ALLOW_PRIVATE_URLS when each request is sent
        self.resolver = resolver
        super().__init__(**kwargs)

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        allow_private = self.allow_private
        if allow_private is None:
            from django.conf import settings

            allow_private = settings.ALLOW_PRIVATE_URLS
        target = resolve_outbound_url(request.url, allow_private=allow_private, resolver=self.resolver)
        failure: requests.ConnectionError | None = None
        for address in target.addresses:
            pinned = request.copy()
            pinned.url = target.url_for(address)
            pinned.headers["Host"] = target.host_header
            pinned.pinned_hostname = target.hostname
            try:
                # No proxy, ever: it would resolve and connect on its own.
                response = super().send(pinned, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})
            except requests.ConnectionError as error:
                if not _no_connection_made(error):
                    raise
                failure = error
                continue
            response.url = request.url
            response.request = request
            return response
        assert failure is not None
        raise failure

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname = getattr(request, "pinned_hostname", None)
        if hostname and host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = hostname  # SNI
            pool_kwargs["assert_hostname"] = hostname  # the certificate must name the real host
            # urllib3 turns off check_hostname on the context it is given when it matches the name
            # itself: never hand it a context shared with other connections.
            pool_kwargs.pop("ssl_context", None)
        return host_params, pool_kwargs


def _no_connection_made(error: requests.ConnectionError) -> bool:
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


class OutboundSession(requests.Session):
    """A requests session that reaches only checked addresses (see the module docstring)."""

    def __init__(self, *, allow_private: bool | None = None, resolver: Resolver = socket.getaddrinfo):
        super().__init__()
        self.trust_env = False  # no proxies, certificate bundles or .netrc from the environment
        self.proxies = {}
        self.adapters.clear()
        adapter = PinnedAdapter(allow_private=allow_private, resolver=resolver)
        # Every scheme goes to the adapter, which refuses all but http(s) with UnsafeURL.
        for prefix in ("https://", "http://", ""):
            self.mount(prefix, adapter)


def outbound_session() -> OutboundSession:
    """The session for every request the service makes to an address someone gave it.

    Private and loopback addresses are refused unless settings.ALLOW_PRIVATE_URLS, read as each
    request (each redirect) is sent.
    """
    return OutboundSession()
