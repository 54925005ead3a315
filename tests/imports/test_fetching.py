"""Fetching an address for import: only http(s), only public hosts, within a size and a time limit."""

import pytest

from articles.fetch import FetchError, FetchRefused, FetchTimedOut, FetchTooLarge, fetch_url


def test_a_page_is_fetched_following_redirects(site):
    site.serve("/old", b"", status=301, headers={"Location": "/new"})
    site.serve("/new", "<p>Here.</p>")

    fetched = fetch_url(site.base + "/old")

    assert fetched.url == site.base + "/new"
    assert fetched.content == b"<p>Here.</p>"
    assert fetched.content_type.startswith("text/html")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/story.txt", "gopher://example.org/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch_url(url)


def test_a_private_address_is_refused_unless_the_deployment_allows_it(site, settings):
    url = site.serve("/story", "<p>Inside.</p>")
    settings.ALLOW_PRIVATE_URLS = False

    with pytest.raises(FetchRefused, match="private or local address"):
        fetch_url(url)
    assert site.requests == [], "nothing was sent"

    settings.ALLOW_PRIVATE_URLS = True
    assert fetch_url(url).content == b"<p>Inside.</p>"


def test_every_redirect_is_checked_like_the_first_address(site):
    start = site.serve("/go", b"", status=302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(FetchRefused, match="file:///etc/passwd"):
        fetch_url(start)


def test_a_redirect_to_a_private_address_is_refused(site, settings):
    # The first address is allowed when it is fetched. As it answers with a redirect into the
    # private network, the deployment stops allowing private addresses: the next hop is checked
    # on its own, when it is made, and refused before anything is sent to it.
    inside = site.serve("/inside", "<p>Intranet.</p>")
    start = site.serve("/public", b"", status=302, headers={"Location": inside})
    when_requested(site, "/public", lambda: setattr(settings, "ALLOW_PRIVATE_URLS", False))

    with pytest.raises(FetchRefused, match="/inside.*private or local address"):
        fetch_url(start)
    assert site.requests_for("/public") and not site.requests_for("/inside")


def test_a_redirect_to_an_address_with_credentials_is_refused(site):
    site.serve("/inside", "<p>Intranet.</p>")
    start = site.serve("/go", b"", status=302, headers={"Location": site.base.replace("//", "//admin:pw@") + "/inside"})

    with pytest.raises(FetchRefused, match="credentials are not allowed"):
        fetch_url(start)
    assert not site.requests_for("/inside")


def when_requested(site, path: str, action) -> None:
    """Run ``action`` in the server as soon as ``path`` is requested (before it answers)."""

    class Requests(list):
        def append(self, entry):
            super().append(entry)
            if entry[0] == path:
                action()

    site.requests = Requests(site.requests)


def test_endless_redirects_are_abandoned(site):
    site.serve("/loop", b"", status=302, headers={"Location": "/loop"})

    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_url(site.base + "/loop")


def test_a_declared_size_over_the_limit_is_refused_before_downloading(site, settings):
    settings.FETCH_MAX_BYTES = 10_000
    url = site.serve("/big", b"x" * 50_000)

    with pytest.raises(FetchTooLarge, match="50,000 bytes; the limit is 10,000 bytes"):
        fetch_url(url)


def test_an_undeclared_size_stops_the_download_at_the_limit(site, settings):
    settings.FETCH_MAX_BYTES = 10_000
    url = site.serve("/stream", b"x" * 500_000, send_length=False)

    with pytest.raises(FetchTooLarge, match="larger than the limit of 10,000 bytes"):
        fetch_url(url)


def test_a_server_that_does_not_answer_in_time_is_abandoned(site, settings):
    settings.FETCH_TIMEOUT_SECONDS = 0.3
    url = site.serve("/slow", "<p>Late.</p>", delay=2)

    with pytest.raises(FetchTimedOut, match="did not answer within 0.3 seconds"):
        fetch_url(url)


def test_a_server_trickling_its_body_is_abandoned_at_the_deadline(site, settings):
    settings.FETCH_TIMEOUT_SECONDS = 0.5
    url = site.serve("/trickle", b"y" * 200, trickle=0.05)

    with pytest.raises(FetchTimedOut, match="longer than 0.5 seconds"):
        fetch_url(url)


def test_error_statuses_are_reported(site):
    with pytest.raises(FetchError, match="answered 404 Not Found"):
        fetch_url(site.base + "/missing")


def test_nothing_listening_is_a_clear_error(settings):
    settings.ALLOW_PRIVATE_URLS = True

    with pytest.raises(FetchError, match="could not be fetched: the connection failed"):
        fetch_url("http://127.0.0.1:1/story")


def test_a_conditional_get_sends_the_etag_and_reports_not_modified(site):
    url = site.serve("/feed", "<rss/>", etag='"v1"')

    first = fetch_url(url)
    second = fetch_url(url, etag=first.etag)

    assert first.etag == '"v1"' and not first.not_modified
    assert second.not_modified and second.content == b""
    assert site.requests_for("/feed")[1]["if-none-match"] == '"v1"'
