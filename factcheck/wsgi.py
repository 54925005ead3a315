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
