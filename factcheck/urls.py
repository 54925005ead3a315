from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Fact-check checklists"
admin.site.site_title = "Fact-check"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.urls")),
]
