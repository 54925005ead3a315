from pathlib import Path

import pytest

from tests.imports.web import Site

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture_bytes():
    return lambda name: (FIXTURES / name).read_bytes()


@pytest.fixture
def site(settings):
    """A local web server; loopback addresses are allowed for the test that uses it."""
    settings.ALLOW_PRIVATE_URLS = True
    server = Site()
    yield server
    server.close()
