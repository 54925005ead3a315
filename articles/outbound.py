"""Which addresses the service may send requests to (webhooks) or fetch from (imports).

Only http(s), and only hosts that resolve to public addresses, unless the deployment
allows private ones: otherwise anyone who can register a URL could make the server probe
its own network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    """The URL may not be contacted; the message says why."""


def check_outbound_url(url: str, *, allow_private: bool = False) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UnsafeURL("only http and https addresses are allowed")
    if not parts.hostname:
        raise UnsafeURL("the address has no host")
    if parts.username or parts.password:
        raise UnsafeURL("addresses with credentials are not allowed")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"the host {parts.hostname!r} cannot be resolved") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise UnsafeURL(f"the host {parts.hostname!r} is a private or local address ({address})")
