from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def paginated(
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer: type[serializers.BaseSerializer[Any]],
    context: Callable[[list[Any]], dict[str, Any]] | None = None,
) -> Response:
    """One page of `queryset` in the {count, next, previous, results} envelope; `context` makes the serializer's
    context from the page's objects (to read what they refer to in one query per kind)."""
    paginator_class = getattr(view, "pagination_class", None) or PageNumberPagination
    paginator = paginator_class()
    page: list[Model] | None = paginator.paginate_queryset(queryset, request, view=view)
    extra = context(page or []) if context is not None else {}
    return paginator.get_paginated_response(serializer(page, many=True, context=extra).data)
