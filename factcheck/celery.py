import os

from celery import Celery
from celery.signals import worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def load_models(**kwargs):
    """Load the language pipeline and the check-worthiness model once, before the pool forks,
    not inside the first task."""
    from articles.extraction import nlp
    from articles.extraction.engine import default_sentence_scorer

    nlp.pipeline()
    default_sentence_scorer()


@worker_ready.connect
def recover_extractions_now(sender, **kwargs):
    """A worker that starts (say, in place of one that died) sends extraction recovery at once
    rather than waiting for beat's next pass."""
    from django.conf import settings

    from articles.tasks import recover_extractions

    recover_extractions.apply_async(priority=settings.RECOVERY_PRIORITY)
