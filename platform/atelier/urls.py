"""Root URLconf: the API, its schema and docs, health, and the browser app for every other path."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotations.api.health import HealthView
from annotations.unsubscribe import unsubscribe_view
from annotations.web import AppView

urlpatterns = [
    path("api/v1/", include("annotations.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", HealthView.as_view(), name="healthz"),
    # django-allauth's headless API: /_allauth/browser/v1/... and /_allauth/app/v1/... (docs/accounts.md).
    path("_allauth/", include("allauth.headless.urls")),
    # The unsubscribe link of every non-essential mail (RFC 8058): an HTML page, not the API (docs/email.md).
    path("unsubscribe/<str:token>", unsubscribe_view, name="unsubscribe"),
    # Every other path that is not an API, static or media path is a route of the browser app.
    re_path(r"^(?!api/|_allauth/|static/|media/|healthz|unsubscribe/).*$", AppView.as_view(), name="app"),
]

handler400 = "annotations.api.errors.handler400"
handler403 = "annotations.api.errors.handler403"
handler404 = "annotations.api.errors.handler404"
handler500 = "annotations.api.errors.handler500"
