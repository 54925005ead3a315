import logging

from django.apps import AppConfig
from django.conf import settings


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and checklists"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .models import Article, ChecklistItem
        from .roles import sync_role_groups
        from .services.progress import recount_after_item_change
        from .services.stories import drop_story_left_empty

        from .extraction import nlp

        post_migrate.connect(sync_role_groups, sender=self)
        post_save.connect(recount_after_item_change, sender=ChecklistItem, dispatch_uid="recount-after-save")
        post_delete.connect(recount_after_item_change, sender=ChecklistItem, dispatch_uid="recount-after-delete")
        post_delete.connect(drop_story_left_empty, sender=Article, dispatch_uid="drop-story-left-empty")
        nlp.configure(settings.NLP_PIPELINE)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logging.getLogger("factcheck").info(
                "REDIS_URL is not set: checklist extraction runs in-process, "
                "inside the request or command that asks for it (no worker needed)."
            )
