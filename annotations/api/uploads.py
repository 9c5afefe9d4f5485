"""Asset uploads: announce, upload straight to storage, confirm. And the embedded mode's signed endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, BinaryIO

from django.http import FileResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.errors import error_body
from annotations.api.permissions import API_PERMISSIONS, AdminForWrites, IsStaffRole, actor
from annotations.api.projects import MediaFileOutputSerializer
from annotations.api.serializers import StrictInputSerializer, dump_many
from annotations.domain import manifest as manifest_rules
from annotations.domain import ranges
from annotations.domain.errors import NotFound, PermissionDenied
from annotations.providers.storage import LocalStorage, MissingObject, object_storage, verify_download_token
from annotations.selectors.projects import project_visible_to
from annotations.services.imports import ImportResult, import_manifest, import_prefix, project_import_root
from annotations.services.uploads import (
    UPLOAD_EXPIRES_IN,
    FileAnnouncement,
    upload_local_receive,
    uploads_complete,
    uploads_request,
)


class FileAnnouncementSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=500)
    size_bytes = serializers.IntegerField(min_value=0)
    content_type = serializers.CharField(max_length=100)
    item = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Files with the same item id form one multimodal item.",
    )


class UploadRequestSerializer(StrictInputSerializer):
    files = FileAnnouncementSerializer(many=True)


class UploadTicketSerializer(serializers.Serializer[Any]):
    file_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    item = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="POST the fields, then the file as `file`, as multipart/form-data.")
    form_fields = serializers.DictField(child=serializers.CharField(), help_text="Form fields to send first.")
    expires_in = serializers.IntegerField()


class UploadCompleteSerializer(StrictInputSerializer):
    file_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=100)


class ProjectUploadsView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"POST": "projects:write"}

    @extend_schema(
        summary="Announce files to upload (admin); answers a presigned POST per file",
        request=UploadRequestSerializer,
        responses={201: inline_serializer("UploadTickets", {"uploads": UploadTicketSerializer(many=True)})},
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = UploadRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = [FileAnnouncement(**f) for f in data.validated_data["files"]]
        tickets = uploads_request(actor=actor(request), project=project, files=files)
        body = [
            {
                "file_id": t.media.pk,
                "item_id": t.media.item_id,
                "item": t.media.item.external_id,
                "name": t.media.name,
                "url": t.post.url,
                "form_fields": t.post.fields,
                "expires_in": t.post.expires_in,
            }
            for t in tickets
        ]
        return Response({"uploads": body}, status=status.HTTP_201_CREATED)


class ProjectUploadsCompleteView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"POST": "projects:write"}

    @extend_schema(
        summary="Confirm uploaded files (admin): each is checked in storage and queued for ingestion",
        request=UploadCompleteSerializer,
        responses=inline_serializer("UploadedFiles", {"files": MediaFileOutputSerializer(many=True)}),
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = UploadCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = uploads_complete(actor=actor(request), project=project, file_ids=data.validated_data["file_ids"])
        return Response({"files": dump_many(MediaFileOutputSerializer, files)})


class ImportInputSerializer(StrictInputSerializer):
    manifest = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=2_000_000,
        help_text="CSV (header row with `key`) or JSONL, one file per row.",
    )
    format = serializers.ChoiceField(choices=list(manifest_rules.FORMATS), required=False, help_text="With `manifest`.")
    prefix = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=manifest_rules.MAX_KEY_LENGTH,
        help_text="Import every object under this folder of the import root (blank: all of it).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("manifest" in attrs) == ("prefix" in attrs):
            raise serializers.ValidationError(
                {"manifest": [gettext("Send either a manifest (with its format) or a prefix.")]}
            )
        if "manifest" in attrs and "format" not in attrs:
            raise serializers.ValidationError({"format": [gettext("Say whether the manifest is csv or jsonl.")]})
        return attrs


class SkippedObjectSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    reason = serializers.CharField()


class ImportInfoSerializer(serializers.Serializer[Any]):
    import_root = serializers.CharField(
        help_text="Put objects under this folder of the bucket; manifest keys are relative."
    )
    formats = serializers.ListField(child=serializers.CharField())
    columns = serializers.ListField(child=serializers.CharField())
    max_files = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer[Any]):
    import_root = serializers.CharField()
    created = serializers.IntegerField(help_text="Files registered and queued for ingestion.")
    already_imported = serializers.IntegerField(help_text="Keys this project already had (re-imports change nothing).")
    skipped_count = serializers.IntegerField()
    skipped = SkippedObjectSerializer(many=True, help_text="The first 100 objects not imported, with the reason.")


def _import_body(result: ImportResult) -> dict[str, Any]:
    return {
        "import_root": result.root,
        "created": len(result.created),
        "already_imported": result.already_imported,
        "skipped_count": len(result.skipped),
        "skipped": [{"key": k, "reason": r} for k, r in list(result.skipped.items())[:100]],
    }


class ProjectImportsView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    token_scopes = {"GET": "projects:read", "POST": "projects:write"}

    @extend_schema(
        summary="Where to put objects for bulk import, and the manifest formats", responses=ImportInfoSerializer
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        return Response(
            {
                "import_root": project_import_root(project),
                "formats": list(manifest_rules.FORMATS),
                "columns": list(manifest_rules.COLUMNS),
                "max_files": manifest_rules.MAX_IMPORT_FILES,
            }
        )

    @extend_schema(
        summary="Import objects already in storage (admin): from a CSV/JSONL manifest or a prefix",
        request=ImportInputSerializer,
        responses={201: ImportResultSerializer},
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "manifest" in values:
            result = import_manifest(
                actor=actor(request), project=project, text=values["manifest"], fmt=values["format"]
            )
        else:
            result = import_prefix(actor=actor(request), project=project, prefix=values["prefix"])
        return Response(_import_body(result), status=status.HTTP_201_CREATED)


def _embedded_only() -> None:
    if not isinstance(object_storage(), LocalStorage):
        raise NotFound(gettext("No such endpoint."))


class LocalUploadView(APIView):
    """Embedded mode only: receives what S3 would receive from a presigned POST, with the same policy."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        summary="Upload a file with a signed policy (embedded mode; with S3 the browser posts to the bucket)",
        request={
            "multipart/form-data": inline_serializer(
                "LocalUpload", {"token": serializers.CharField(), "file": serializers.FileField()}
            )
        },
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        _embedded_only()
        upload = request.FILES.get("file")
        token = request.data.get("token")
        if upload is None or not isinstance(token, str):
            raise PermissionDenied(gettext("Send the policy token and the file."), code="upload_denied")
        upload_local_receive(token=token, stream=upload, size=upload.size or 0, content_type=upload.content_type or "")
        return Response(status=status.HTTP_204_NO_CONTENT)


class LocalMediaView(APIView):
    """Embedded mode only: a short-lived signed link to a stored object, the stand-in for a presigned GET.

    Like S3 it serves one byte range (`Range: bytes=…` → 206 with `Content-Range`; 416 past the end), so audio and
    video can be seeked; the bytes stream from the file, never read whole into memory.
    """

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Download a stored file by signed link (embedded mode); one byte range with `Range`",
        parameters=[
            OpenApiParameter("Range", str, OpenApiParameter.HEADER, required=False, description="bytes=start-end"),
            OpenApiParameter("If-Range", str, OpenApiParameter.HEADER, required=False, description="An ETag."),
        ],
        responses={
            (200, "*/*"): bytes,
            (206, "*/*"): OpenApiResponse(bytes, description="The range named by `Content-Range`."),
            416: OpenApiResponse(description="The range starts past the end (`Content-Range: bytes */size`)."),
        },
    )
    def get(self, request: Request, token: str) -> HttpResponseBase:
        _embedded_only()
        return _local_file(token, request.headers.get("Range"), request.headers.get("If-Range"))


class _Slice:
    """`length` bytes of an open file from where it stands: what FileResponse streams for a range."""

    def __init__(self, fh: BinaryIO, length: int) -> None:
        self._fh, self._left = fh, length

    def read(self, size: int = -1) -> bytes:
        want = self._left if size < 0 else min(size, self._left)
        data = self._fh.read(want) if want > 0 else b""
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._fh.close()


def _local_file(token: str, range_header: str | None, if_range: str | None) -> HttpResponseBase:
    try:
        policy = verify_download_token(token, max_age=timedelta(seconds=UPLOAD_EXPIRES_IN))
    except Exception:
        raise NotFound(gettext("This link is invalid or has expired.")) from None
    storage = object_storage()
    assert isinstance(storage, LocalStorage)
    try:
        path = storage.path(policy["k"])
    except MissingObject:
        raise NotFound(gettext("No such file.")) from None
    if not path.is_file():
        raise NotFound(gettext("No such file."))
    stat = path.stat()
    size = stat.st_size
    etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
    headers = {"Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": "private, max-age=300"}
    try:
        wanted = ranges.requested_range(range_header if if_range in (None, etag) else None, size)
    except ranges.Unsatisfiable:
        body = error_body(
            status=416, code="range_not_satisfiable", message="The range starts past the end of the file."
        )
        return JsonResponse(
            body, status=416, headers={**headers, "Content-Range": ranges.unsatisfied_content_range(size)}
        )
    fh = path.open("rb")
    if wanted is None:
        response = FileResponse(fh, filename=policy.get("f") or path.name)
    else:
        fh.seek(wanted.start)
        response = FileResponse(_Slice(fh, wanted.length), status=206, filename=policy.get("f") or path.name)
        response["Content-Length"] = str(wanted.length)
        response["Content-Range"] = wanted.content_range(size)
    for name, value in headers.items():
        response[name] = value
    if policy.get("t"):
        response["Content-Type"] = policy["t"]
    response["X-Content-Type-Options"] = "nosniff"
    return response
