"""Datasets and the export API: versions, their manifest and card, shard downloads, the record stream, tombstones;
a freelancer's consent."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, AdminForWrites, IsStaffRole, actor
from annotations.api.serializers import StrictInputSerializer
from annotations.api.throttling import ApiRateThrottle, WindowThrottle
from annotations.domain.datasets import COMPRESSIONS, FORMATS
from annotations.domain.errors import Conflict, ValidationFailed
from annotations.domain.markdown import render as render_markdown
from annotations.models import ApiToken, ConsentWithdrawal, Dataset, DatasetRecord, DatasetShard, DatasetVersion
from annotations.models import VersionState as VS
from annotations.providers.storage import object_storage
from annotations.selectors.datasets import (
    dataset_visible_to,
    datasets_visible_to,
    record_id,
    tombstones,
    version_prefix,
    version_records,
    version_visible_to,
)
from annotations.services.datasets import (
    DatasetFields,
    consent_withdraw,
    dataset_create,
    dataset_update,
    version_build,
    version_cancel,
)

DOWNLOAD_SECONDS = 3600
MAX_STREAM_LIMIT = 1000


class ExportThrottle(WindowThrottle):
    """Export reads per token (or per user for the browser), at EXPORT_RATE_LIMIT."""

    def rate(self, request: Request) -> str:
        return str(settings.EXPORT_RATE_LIMIT)

    def key(self, request: Request) -> str:
        if isinstance(request.auth, ApiToken):
            return f"throttle:export:token:{request.auth.pk}"
        return f"throttle:export:user:{request.user.pk}"


class ExportView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]
    throttle_classes = [ApiRateThrottle, ExportThrottle]
    token_scopes = {"GET": "export:read"}


class DatasetSerializer(serializers.Serializer[Dataset]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    project_ids = serializers.SerializerMethodField()
    filters = serializers.JSONField(help_text="Which records go in; see the docs for each filter.")
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMATS))
    shard_size = serializers.IntegerField()
    compression = serializers.ChoiceField(choices=COMPRESSIONS)
    latest_version = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_project_ids(self, d: Dataset) -> list[int]:
        return sorted(p.pk for p in d.projects.all())

    def get_latest_version(self, d: Dataset) -> int | None:
        latest = d.versions.order_by("-number").values_list("number", flat=True).first()
        return int(latest) if latest is not None else None


class DatasetInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(allow_blank=True, max_length=10_000, required=False)
    project_ids = serializers.ListField(child=serializers.IntegerField(), max_length=100, required=False)
    filters = serializers.JSONField(
        required=False,
        help_text="{include_unreviewed, approved_after, approved_before, min_review_score, modalities, "
        "exclude_flagged}; approved work only by default.",
    )
    formats = serializers.ListField(child=serializers.CharField(), required=False, help_text=", ".join(FORMATS))
    shard_size = serializers.IntegerField(required=False, help_text="Records per shard.")
    compression = serializers.CharField(required=False, help_text="JSONL: none, gzip or zstd.")


class DatasetVersionSerializer(serializers.Serializer[DatasetVersion]):
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=VS.choices)
    schema_version = serializers.IntegerField()
    record_count = serializers.IntegerField()
    shards_total = serializers.IntegerField()
    shards_done = serializers.IntegerField()
    progress = serializers.SerializerMethodField(help_text="Share of shards written, 0 to 1.")
    filters = serializers.JSONField()
    formats = serializers.ListField(child=serializers.CharField())
    snapshot_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    manifest = serializers.JSONField(help_text="Record count, shards with size and sha256, schema, filters.")
    card = serializers.JSONField(help_text="The data card's facts (empty until built).")
    card_html = serializers.SerializerMethodField(help_text="The data card, rendered and sanitised.")

    def get_card_html(self, v: DatasetVersion) -> str:
        return render_markdown(v.card_markdown) if v.card_markdown else ""

    def get_progress(self, v: DatasetVersion) -> float:
        if v.state == VS.BUILT:
            return 1.0
        return round(v.shards_done / v.shards_total, 4) if v.shards_total else 0.0


class DatasetListView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    pagination_class = PageNumberPagination
    token_scopes = {"GET": "export:read"}

    @extend_schema(summary="Datasets of your organisation", responses=DatasetSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, datasets_visible_to(actor(request)).order_by("-created_at"), DatasetSerializer)

    @extend_schema(
        summary="Define a dataset (admin)", request=DatasetInputSerializer, responses={201: DatasetSerializer}
    )
    def post(self, request: Request) -> Response:
        body = DatasetInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dataset = dataset_create(actor=actor(request), fields=DatasetFields(**body.validated_data))
        return Response(DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)


class DatasetDetailView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    token_scopes = {"GET": "export:read"}

    @extend_schema(summary="One dataset", responses=DatasetSerializer)
    def get(self, request: Request, dataset_id: int) -> Response:
        return Response(DatasetSerializer(dataset_visible_to(actor(request), dataset_id)).data)

    @extend_schema(
        summary="Change what later versions hold (admin)", request=DatasetInputSerializer, responses=DatasetSerializer
    )
    def patch(self, request: Request, dataset_id: int) -> Response:
        body = DatasetInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dataset = dataset_visible_to(actor(request), dataset_id)
        updated = dataset_update(actor=actor(request), dataset=dataset, fields=DatasetFields(**body.validated_data))
        return Response(DatasetSerializer(updated).data)


class VersionListView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    pagination_class = PageNumberPagination
    token_scopes = {"GET": "export:read"}

    @extend_schema(summary="Versions of a dataset, newest first", responses=DatasetVersionSerializer(many=True))
    def get(self, request: Request, dataset_id: int) -> Response:
        dataset = dataset_visible_to(actor(request), dataset_id)
        return paginated(request, self, dataset.versions.order_by("-number"), DatasetVersionSerializer)

    @extend_schema(
        summary="Build a new version (admin); the build runs in the workers",
        request=None,
        responses={202: DatasetVersionSerializer},
    )
    def post(self, request: Request, dataset_id: int) -> Response:
        dataset = dataset_visible_to(actor(request), dataset_id)
        version = version_build(actor=actor(request), dataset=dataset)
        version.refresh_from_db()
        return Response(DatasetVersionSerializer(version).data, status=status.HTTP_202_ACCEPTED)


class VersionDetailView(ExportView):
    @extend_schema(summary="A version: state, progress and manifest", responses=DatasetVersionSerializer)
    def get(self, request: Request, dataset_id: int, number: int) -> Response:
        return Response(DatasetVersionSerializer(version_visible_to(actor(request), dataset_id, number)).data)


class VersionCancelView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]

    @extend_schema(
        summary="Cancel a queued or building version (admin)", request=None, responses=DatasetVersionSerializer
    )
    def post(self, request: Request, dataset_id: int, number: int) -> Response:
        version = version_visible_to(actor(request), dataset_id, number)
        return Response(DatasetVersionSerializer(version_cancel(actor=actor(request), version=version)).data)


def _built(version: DatasetVersion) -> None:
    if version.state != VS.BUILT:
        raise Conflict(
            gettext("Version %(number)s is %(state)s, not built.") % {"number": version.number, "state": version.state},
            code="not_built",
        )


def _etag(*parts: Any) -> str:
    return '"' + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _not_modified(request: Request, etag: str) -> bool:
    return etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]


class VersionCardView(ExportView):
    @extend_schema(
        summary="The data card, as Markdown or JSON",
        parameters=[OpenApiParameter("format", str, enum=["md", "json"], required=False)],
        responses={(200, "text/markdown"): OpenApiTypes.STR, (200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, dataset_id: int, number: int) -> HttpResponse | Response:
        version = version_visible_to(actor(request), dataset_id, number)
        _built(version)
        if request.query_params.get("format", "md") == "json":
            return Response(version.card)
        return HttpResponse(version.card_markdown, content_type="text/markdown; charset=utf-8")


class DatasetFileSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(help_text="Path inside the version's folder.")
    format = serializers.CharField()
    index = serializers.IntegerField(allow_null=True)
    records = serializers.IntegerField(allow_null=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True)
    url = serializers.CharField(help_text=f"Presigned download link, valid {DOWNLOAD_SECONDS // 60} minutes.")


class VersionFilesView(ExportView):
    @extend_schema(
        summary="The version's files (shards, manifest, card, HF README) with download links",
        responses=DatasetFileSerializer(many=True),
    )
    def get(self, request: Request, dataset_id: int, number: int) -> Response:
        version = version_visible_to(actor(request), dataset_id, number)
        _built(version)
        storage = object_storage()
        root = version_prefix(version)
        files = []
        for s in DatasetShard.objects.filter(version=version).order_by("format", "index"):
            files.append(
                {
                    "path": s.storage_key.removeprefix(root),
                    "format": s.format,
                    "index": s.index,
                    "records": s.record_count,
                    "size_bytes": s.size_bytes,
                    "sha256": s.sha256,
                    "url": storage.presigned_get(
                        key=s.storage_key, expires_in=DOWNLOAD_SECONDS, filename=s.storage_key.rsplit("/", 1)[1]
                    ),
                }
            )
        extra = [
            "manifest.json",
            "card.md",
            "card.json",
            "keys.json",
            *(["hf/README.md"] if "hf" in version.formats else []),
        ]
        for path in extra:
            files.append(
                {
                    "path": path,
                    "format": "meta",
                    "index": None,
                    "records": None,
                    "size_bytes": None,
                    "sha256": None,
                    "url": storage.presigned_get(
                        key=root + path, expires_in=DOWNLOAD_SECONDS, filename=path.rsplit("/", 1)[-1]
                    ),
                }
            )
        return Response(DatasetFileSerializer(files, many=True).data)


def _cursor(ordinal: int) -> str:
    return base64.urlsafe_b64encode(f"o:{ordinal}".encode()).decode().rstrip("=")


def _ordinal(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = text.split(":", 1)
        if kind != "o" or not value.isdigit():
            raise ValueError(cursor)
        return int(value)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(
            gettext("The cursor is not one this API gave."), fields={"cursor": [gettext("Invalid.")]}
        ) from None


class VersionRecordsView(ExportView):
    @extend_schema(
        summary="The version's records as JSONL, in a stable order, a page at a time",
        description=(
            "Records are ordered by approval time (then id). Follow `X-Next-Cursor` (also in the `Link` header) "
            "until it is absent. `since` (ISO 8601) starts after work approved at or before that time: an "
            "incremental sync passes the `approved_at` of the last record it holds. Pages of a built version "
            "never change: responses carry an ETag and answer `If-None-Match` with 304."
        ),
        parameters=[
            OpenApiParameter("cursor", str, required=False),
            OpenApiParameter("since", OpenApiTypes.DATETIME, required=False),
            OpenApiParameter("limit", int, required=False, description=f"1 to {MAX_STREAM_LIMIT}, default 500."),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="One record per line.")
        },
    )
    def get(self, request: Request, dataset_id: int, number: int) -> StreamingHttpResponse | HttpResponse:
        version = version_visible_to(actor(request), dataset_id, number)
        _built(version)
        q = request.query_params
        limit_raw = q.get("limit", "500")
        if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= MAX_STREAM_LIMIT:
            raise ValidationFailed(
                gettext("limit is out of range."),
                fields={"limit": [gettext("1 to %(max_stream_limit)s.") % {"max_stream_limit": MAX_STREAM_LIMIT}]},
            )
        limit = int(limit_raw)
        start = _ordinal(q["cursor"]) if q.get("cursor") else 0
        since_raw = q.get("since")
        if since_raw:
            try:
                since = datetime.fromisoformat(since_raw.replace(" ", "+"))
            except ValueError:
                raise ValidationFailed(
                    gettext("since is not a date-time."), fields={"since": [gettext("ISO 8601.")]}
                ) from None
            if timezone.is_naive(since):
                since = timezone.make_aware(since, timezone.get_current_timezone())
            first = (
                DatasetRecord.objects.filter(version=version, contribution__approved_at__gt=since)
                .order_by("ordinal")
                .values_list("ordinal", flat=True)
                .first()
            )
            start = max(start, version.record_count if first is None else first)
        end = min(version.record_count, start + limit)
        etag = _etag(version.pk, version.schema_version, start, end)
        if _not_modified(request, etag):
            return HttpResponse(status=304, headers={"ETag": etag})

        def lines() -> Iterator[bytes]:
            for record, _files in version_records(version, start, end):
                yield orjson.dumps(record) + b"\n"

        response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Record-Count"] = str(max(0, end - start))
        if end < version.record_count:
            next_cursor = _cursor(end)
            response["X-Next-Cursor"] = next_cursor
            url = request.build_absolute_uri(request.path)
            response["Link"] = f'<{url}?cursor={next_cursor}&limit={limit}>; rel="next"'
        return response


class TombstoneSerializer(serializers.Serializer[DatasetRecord]):
    record_id = serializers.SerializerMethodField()
    withdrawn_at = serializers.DateTimeField(source="contribution.freelancer.withdrawal.withdrawn_at")

    def get_record_id(self, r: DatasetRecord) -> str:
        return record_id(r.contribution_id)


class VersionTombstonesView(ExportView):
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Records of this version whose creators withdrew consent since: purge them",
        responses=TombstoneSerializer(many=True),
    )
    def get(self, request: Request, dataset_id: int, number: int) -> Response:
        version = version_visible_to(actor(request), dataset_id, number)
        return paginated(request, self, tombstones(version), TombstoneSerializer)


class ConsentSerializer(serializers.Serializer[Any]):
    consent = serializers.BooleanField(help_text="false once withdrawn: later dataset versions leave your work out.")
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class ConsentInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


class ConsentView(APIView):
    @extend_schema(summary="Whether your work may go into dataset versions", responses=ConsentSerializer)
    def get(self, request: Request) -> Response:
        w = ConsentWithdrawal.objects.filter(freelancer=actor(request)).first()
        return Response({"consent": w is None, "withdrawn_at": w.withdrawn_at if w else None})

    @extend_schema(
        summary="Withdraw consent: later versions leave your work out; earlier ones list it for purging",
        request=ConsentInputSerializer,
        responses=ConsentSerializer,
    )
    def post(self, request: Request) -> Response:
        body = ConsentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        w = consent_withdraw(actor=actor(request), reason=body.validated_data["reason"])
        return Response({"consent": False, "withdrawn_at": w.withdrawn_at})
