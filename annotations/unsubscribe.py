"""The unsubscribe link in every non-essential mail (RFC 8058). A GET only asks (link scanners and previews follow
GETs); the POST, from the page's button or a mail client's one-click `List-Unsubscribe=One-Click`, switches that
kind of mail off. No session and no CSRF token: the signed token in the path is the proof."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from annotations.domain.notifications import LABELS, NotificationKind
from annotations.models import User
from annotations.services.mail import unsubscribe_read
from annotations.services.notifications import email_unsubscribe

TEMPLATE = "atelier/unsubscribe.html"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribe_read(token)
    kinds = {k.value for k in NotificationKind}
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or found[1] not in kinds or user is None:
        return _page(request, "invalid", None, status=400)
    user_id, kind = found
    with translation.override(user.language):
        if request.method == "POST":
            email_unsubscribe(user_id=user_id, kind=kind)
            return _page(request, "done", kind)
        return _page(request, "confirm", kind)


def _page(request: HttpRequest, state: str, kind: str | None, status: int = 200) -> HttpResponse:
    label = LABELS[NotificationKind(kind)] if kind else ""
    response = render(
        request,
        TEMPLATE,
        {"state": state, "label": label, "preferences_url": f"{settings.SITE_URL}/settings/notifications"},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
