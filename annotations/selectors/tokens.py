from __future__ import annotations

from django.db.models import QuerySet

from annotations.models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
