from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import (
    ApiDocsView,
    ApiSchemaView,
    ArticleViewSet,
    ItemViewSet,
    NotificationSettingsView,
    SourceViewSet,
    StoryViewSet,
    WebhookSubscriptionViewSet,
)

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("items", ItemViewSet, basename="item")
router.register("stories", StoryViewSet, basename="story")
router.register("sources", SourceViewSet, basename="source")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("notification-settings/", NotificationSettingsView.as_view(), name="notification-settings"),
    path("", include(router.urls)),
]
