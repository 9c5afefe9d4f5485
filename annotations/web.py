"""The browser app's HTML shell. Everything it shows comes from the API."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.generic import TemplateView


@method_decorator(ensure_csrf_cookie, name="dispatch")
class AppView(TemplateView):
    template_name = "atelier/index.html"
