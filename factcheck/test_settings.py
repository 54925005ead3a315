"""Settings for the test suite: the real settings, with a throwaway secret key."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment")
# Tests without REDIS_URL run tasks in-process on purpose (the web application would refuse otherwise).
os.environ.setdefault("FACTCHECK_IN_PROCESS_TASKS", "1")
# The test client and the browser tests' live server speak plain http; the production default
# (redirect to https) is tested in separate processes (tests/security/test_deployment_settings.py).
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Workers started by the tests do not share readings through the test Redis: what one test
# extracted must not be found by the next. The sharing tests turn it on themselves.
os.environ.setdefault("FACTCHECK_SHARED_READINGS_TTL", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the real worker thread in the pipeline tests must see what the test wrote.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405

# Throttle counters per test process, not shared through Redis between test runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
