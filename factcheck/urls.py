from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Fact-check checklists"
admin.site.site_title = "Fact-check"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
