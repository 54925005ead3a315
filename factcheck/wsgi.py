import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

if not (settings.SECRET_KEY_CONFIGURED or settings.DEBUG):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random string before serving, "
        "or set DJANGO_DEBUG=1 for local development with a throwaway key."
    )
if not (settings.DEBUG or settings.REDIS_URL or settings.IN_PROCESS_TASKS_ALLOWED):
    raise ImproperlyConfigured(
        "REDIS_URL is not set, so extraction would run inside web requests. Set REDIS_URL and "
        "run a worker and beat, or set FACTCHECK_IN_PROCESS_TASKS=1 if in-process tasks are intended."
    )
