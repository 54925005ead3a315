import pytest

from tests.conftest import configure_broker


@pytest.fixture
def broker(redis_broker_url):
    """A real Redis broker and no worker: sent messages wait in the queue."""
    from factcheck.celery import app

    previous = configure_broker(task_always_eager=False, broker_url=redis_broker_url)
    app.control.purge()
    yield
    app.control.purge()
    configure_broker(**previous)
