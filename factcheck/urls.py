from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

from .middleware import is_api

admin.site.site_header = "Fact-check checklists"
admin.site.site_title = "Fact-check"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.urls")),
]


# Errors raised outside the API's views (an address no route matches, a request Django itself
# refuses, a crash) answer API callers in the API's error shape, and people with the site's pages.
def bad_request(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "The request is malformed."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "You may not do this."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "The server failed; the error is logged."}, status=500)
    return defaults.server_error(request)


handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
