from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views import ArticleViewSet, ItemViewSet, WebhookSubscriptionViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("items", ItemViewSet, basename="item")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
