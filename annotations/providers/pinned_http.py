"""HTTP to an address that was checked: no second DNS lookup between the check and the connection.

A webhook's host is resolved and every address it gives is checked against the SSRF rules; if the HTTP client
then resolved the name again, a DNS server that answers a public address first and `127.0.0.1` (or a metadata
address) second would get the request sent inside (DNS rebinding). `post_pinned` sends to the address that was
checked: a `requests` transport adapter hands `requests` a urllib3 pool whose connections go to that address,
while the request keeps everything that belongs to the name: the `Host` header, the TLS server name (SNI) and
certificate verification against the name (`server_hostname` and `assert_hostname`), so HTTPS works and is still
verified. The environment's proxies and netrc are ignored (a proxy would resolve the name again), and redirects
are never followed (a redirect is a new, unchecked target).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool


class PinnedAdapter(HTTPAdapter):
    """Every connection goes to `address`, whatever host the URL names; TLS is verified for that host."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str,
        proxies: dict[str, str] | None = None,
        cert: Any = None,
    ) -> HTTPConnectionPool:
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        hostname = host_params["host"]
        scheme = host_params["scheme"]
        if scheme == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": hostname, "assert_hostname": hostname}
        port = host_params["port"] or (443 if scheme == "https" else 80)
        pool: HTTPConnectionPool = self.poolmanager.connection_from_host(
            host=self.address, port=port, scheme=scheme, pool_kwargs=pool_kwargs
        )
        return pool


def host_header(url: str) -> str:
    """The `Host` header the URL's own name would send (the port only when it is not the scheme's default)."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def post_pinned(
    url: str, *, address: str, data: bytes, headers: dict[str, str], timeout: float, verify: bool | str = True
) -> requests.Response:
    """POST `data` to `url` over a connection to `address` (already checked), without following redirects."""
    with requests.Session() as session:
        session.trust_env = False
        adapter = PinnedAdapter(address)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.post(
            url,
            data=data,
            headers={**headers, "Host": host_header(url)},
            timeout=timeout,
            allow_redirects=False,
            verify=verify,
        )
