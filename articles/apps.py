import logging

from django.apps import AppConfig
from django.conf import settings


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and checklists"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups

        from .extraction import nlp

        post_migrate.connect(sync_role_groups, sender=self)
        nlp.configure(settings.NLP_PIPELINE)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logging.getLogger("factcheck").info(
                "REDIS_URL is not set: checklist extraction runs in-process, "
                "inside the request or command that asks for it (no worker needed)."
            )
