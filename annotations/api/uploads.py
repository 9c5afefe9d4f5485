"""Asset uploads: announce, upload straight to storage, confirm. And the embedded mode's signed endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import FileResponse, HttpResponseBase
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import API_PERMISSIONS, AdminForWrites, actor
from annotations.api.projects import MediaFileOutputSerializer
from annotations.api.serializers import StrictInputSerializer, dump_many
from annotations.domain.errors import NotFound, PermissionDenied
from annotations.providers.storage import LocalStorage, MissingObject, object_storage, verify_download_token
from annotations.selectors.projects import project_visible_to
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


def _embedded_only() -> None:
    if not isinstance(object_storage(), LocalStorage):
        raise NotFound("No such endpoint.")


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
            raise PermissionDenied("Send the policy token and the file.", code="upload_denied")
        upload_local_receive(token=token, stream=upload, size=upload.size or 0, content_type=upload.content_type or "")
        return Response(status=status.HTTP_204_NO_CONTENT)


class LocalMediaView(APIView):
    """Embedded mode only: a short-lived signed link to a stored object, the stand-in for a presigned GET."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Download a stored file by signed link (embedded mode)", responses={(200, "*/*"): bytes})
    def get(self, request: Request, token: str) -> HttpResponseBase:
        _embedded_only()
        return _local_file(token)


def _local_file(token: str) -> HttpResponseBase:
    try:
        policy = verify_download_token(token, max_age=timedelta(seconds=UPLOAD_EXPIRES_IN))
    except Exception:
        raise NotFound("This link is invalid or has expired.") from None
    storage = object_storage()
    assert isinstance(storage, LocalStorage)
    try:
        path = storage.path(policy["k"])
    except MissingObject:
        raise NotFound("No such file.") from None
    if not path.is_file():
        raise NotFound("No such file.")
    response = FileResponse(path.open("rb"), filename=policy.get("f") or path.name)
    if policy.get("t"):
        response["Content-Type"] = policy["t"]
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
