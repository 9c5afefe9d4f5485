"""Projects and their items."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.accounts import OrganizationRefSerializer
from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, AdminForWrites, IsStaffRole, actor
from annotations.api.serializers import MoneySerializer, StrictInputSerializer, money_out
from annotations.domain import markdown
from annotations.domain.errors import ValidationFailed
from annotations.domain.money import Money, hourly_rate, meets_minimum
from annotations.models import AuditEvent, MediaFile, MediaKind, MediaStatus, Modality, Project, ProjectStatus
from annotations.models.projects import MAX_OFFSET_SECONDS
from annotations.providers.storage import object_storage
from annotations.selectors.audit import audit_target_labels
from annotations.selectors.pay import minimum_hourly_rate
from annotations.selectors.progress import project_progress
from annotations.selectors.projects import (
    items_visible_to,
    project_activity,
    project_visible_to,
    projects_visible_to,
)
from annotations.selectors.quality import project_agreement
from annotations.services.exams import project_require_exam
from annotations.services.projects import (
    ProjectFields,
    media_file_set_offset,
    project_create,
    project_transition,
    project_update,
)

MEDIA_LINK_SECONDS = 300


class ProjectOutputSerializer(serializers.Serializer[Project]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    brief = serializers.CharField()
    brief_html = serializers.SerializerMethodField()
    instructions = serializers.CharField()
    instructions_html = serializers.SerializerMethodField()
    examples = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    pay = serializers.SerializerMethodField()
    estimated_minutes = serializers.IntegerField()
    effective_hourly_rate = serializers.SerializerMethodField()
    minimum_hourly_rate = serializers.SerializerMethodField()
    meets_minimum_rate = serializers.SerializerMethodField()
    item_count = serializers.IntegerField()
    output_spec = serializers.JSONField()
    replicas_per_item = serializers.IntegerField()
    qualifications = serializers.JSONField()
    deadline = serializers.DateTimeField(allow_null=True)
    agreement_version = serializers.CharField()
    licence = serializers.CharField()
    generative_tools_allowed = serializers.BooleanField()
    review_period_hours = serializers.IntegerField()
    rubric = serializers.JSONField(help_text="Review criteria: [{key, label, max}].")
    gold_rate = serializers.IntegerField(help_text="Percent of claims served from the gold items.")
    required_exam_id = serializers.IntegerField(allow_null=True, help_text="Qualification exam to pass first.")
    organization = OrganizationRefSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @staticmethod
    def _pay(project: Project) -> Money:
        return Money(project.pay_amount_minor, project.pay_currency)

    def get_brief_html(self, project: Project) -> str:
        return markdown.render(project.brief)

    def get_instructions_html(self, project: Project) -> str:
        return markdown.render(project.instructions)

    @extend_schema_field(MoneySerializer)
    def get_pay(self, project: Project) -> dict[str, str]:
        return money_out(self._pay(project))

    @extend_schema_field(MoneySerializer)
    def get_effective_hourly_rate(self, project: Project) -> dict[str, str]:
        return money_out(hourly_rate(self._pay(project), project.estimated_minutes))

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_minimum_hourly_rate(self, project: Project) -> dict[str, str] | None:
        minimum = minimum_hourly_rate(project.pay_currency)
        return None if minimum is None else money_out(minimum)

    def get_meets_minimum_rate(self, project: Project) -> bool:
        minimum = minimum_hourly_rate(project.pay_currency)
        return minimum is not None and meets_minimum(self._pay(project), project.estimated_minutes, minimum)


class ProjectInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    brief = serializers.CharField(allow_blank=True, max_length=50_000, required=False)
    instructions = serializers.CharField(allow_blank=True, max_length=50_000, required=False)
    examples = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=20_000)), max_length=20, required=False
    )
    modalities = serializers.ListField(
        child=serializers.ChoiceField(choices=Modality.choices), max_length=len(Modality.values)
    )
    pay = MoneySerializer()
    estimated_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    output_spec = serializers.JSONField(required=False, help_text="See the output spec reference in the docs.")
    replicas_per_item = serializers.IntegerField(min_value=1, max_value=20, required=False)
    qualifications = serializers.JSONField(required=False, help_text="{skills, modalities, min_reputation}")
    deadline = serializers.DateTimeField(required=False)
    agreement_version = serializers.CharField(max_length=40, required=False)
    licence = serializers.CharField(max_length=60, required=False)
    generative_tools_allowed = serializers.BooleanField(required=False)
    review_period_hours = serializers.IntegerField(
        min_value=1, max_value=24 * 60, required=False, help_text="Unreviewed submissions are approved after this."
    )
    rubric = serializers.JSONField(required=False, help_text="Review criteria: [{key, label, max}], at most 10.")
    gold_rate = serializers.IntegerField(
        required=False, help_text="Percent of claims (0 to 50) served from the gold items; can change any time."
    )
    required_exam_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="An exam of the organisation to pass before claiming; null: none."
    )


class TransitionInputSerializer(StrictInputSerializer):
    action = serializers.ChoiceField(choices=["publish", "pause", "resume", "close"])


class MediaFileOutputSerializer(serializers.Serializer[MediaFile]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=MediaKind.choices)
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.ChoiceField(choices=MediaStatus.choices)
    failure_reason = serializers.CharField()
    probe = serializers.JSONField(help_text="What ingestion found: dimensions, duration, codecs, joints, …")
    offset_seconds = serializers.FloatField(
        help_text="Where the file starts on the item's clock, in seconds (audio, video, motion and sensor files)."
    )
    preview_url = serializers.SerializerMethodField(help_text="Short-lived link to the preview, if any.")
    download_url = serializers.SerializerMethodField(help_text="Short-lived link to the file once ready.")

    def get_preview_url(self, media: MediaFile) -> str | None:
        if not media.preview_key:
            return None
        preview_type = "image/webp" if media.preview_key.endswith(".webp") else "image/png"
        return object_storage().presigned_get(
            key=media.preview_key, expires_in=MEDIA_LINK_SECONDS, content_type=preview_type
        )

    def get_download_url(self, media: MediaFile) -> str | None:
        if media.status != MediaStatus.READY:
            return None
        return object_storage().presigned_get(
            key=media.storage_key, expires_in=MEDIA_LINK_SECONDS, filename=media.name, content_type=media.content_type
        )


class ItemOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    created_at = serializers.DateTimeField()
    files = MediaFileOutputSerializer(many=True)


def _reloaded(request: Request, project: Project) -> dict[str, Any]:
    """The project as the actor sees it (with its annotations), after a write."""
    return dict(ProjectOutputSerializer(project_visible_to(actor(request), project.pk)).data)


class ProjectListView(APIView):
    pagination_class = PageNumberPagination
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"GET": "projects:read", "POST": "projects:write"}

    @extend_schema(
        summary="Projects the caller can see",
        parameters=[OpenApiParameter("status", enum=ProjectStatus.values, required=False)],
        responses=ProjectOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        projects = projects_visible_to(actor(request))
        wanted = request.query_params.get("status")
        if wanted is not None:
            if wanted not in ProjectStatus.values:
                raise serializers.ValidationError(
                    {"status": [gettext("One of %(values)s.") % {"values": ", ".join(ProjectStatus.values)}]}
                )
            projects = projects.filter(status=wanted)
        return paginated(request, self, projects, ProjectOutputSerializer)

    @extend_schema(
        summary="Create a project (admin)",
        request=ProjectInputSerializer,
        responses={201: ProjectOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ProjectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "required_exam_id" in data.validated_data:
            raise ValidationFailed(
                gettext("Set the required exam once the project exists."),
                fields={"required_exam_id": [gettext("Not on create.")]},
            )
        project = project_create(actor=actor(request), fields=ProjectFields(**data.validated_data))
        return Response(_reloaded(request, project), status=status.HTTP_201_CREATED)


class ProjectDetailView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"GET": "projects:read", "PATCH": "projects:write"}

    @extend_schema(summary="One project", responses=ProjectOutputSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        return Response(ProjectOutputSerializer(project_visible_to(actor(request), project_id)).data)

    @extend_schema(
        summary="Change a project (admin)",
        request=ProjectInputSerializer(partial=True),
        responses=ProjectOutputSerializer,
    )
    def patch(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = ProjectInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        exam_given, exam_id = "required_exam_id" in fields, fields.pop("required_exam_id", None)
        with transaction.atomic():
            if exam_given:
                project = project_require_exam(actor=actor(request), project=project, exam_id=exam_id)
            project = project_update(actor=actor(request), project=project, fields=ProjectFields(**fields))
        return Response(_reloaded(request, project))


class ProjectItemListView(APIView):
    pagination_class = PageNumberPagination
    token_scopes = {"GET": "projects:read"}

    @extend_schema(
        summary="Items of a project, with their files (admin, reviewer)",
        responses=ItemOutputSerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        items = items_visible_to(actor(request), project_id)
        return paginated(request, self, items, ItemOutputSerializer)


class FileOffsetInputSerializer(StrictInputSerializer):
    offset_seconds = serializers.FloatField(
        min_value=-MAX_OFFSET_SECONDS,
        max_value=MAX_OFFSET_SECONDS,
        help_text="Where the file starts on the item's clock, in seconds; negative if it began before the item.",
    )


class ProjectFileView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"PATCH": "projects:write"}

    @extend_schema(
        summary="Place a timed file on its item's clock (admin)",
        description="Fixed once work on the item has started (409 offset_fixed).",
        request=FileOffsetInputSerializer,
        responses=MediaFileOutputSerializer,
    )
    def patch(self, request: Request, project_id: int, file_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = FileOffsetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        media = media_file_set_offset(
            actor=actor(request), project=project, file_id=file_id, offset_seconds=data.validated_data["offset_seconds"]
        )
        return Response(MediaFileOutputSerializer(media).data)


class AuditActorSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user.display_name or user.username)


class ActivityOutputSerializer(serializers.Serializer[AuditEvent]):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text="e.g. project.created, project.publish, contribution.submitted")
    actor = AuditActorSerializer(allow_null=True)
    target_type = serializers.CharField(help_text="project, or contribution for the project's work")
    target_id = serializers.CharField()
    target_label = serializers.SerializerMethodField(help_text="The object's name today; null once it is deleted.")
    details = serializers.JSONField(source="data", help_text="What changed: field names, counts, the new status.")
    created_at = serializers.DateTimeField()

    def get_target_label(self, e: AuditEvent) -> str | None:
        labels: dict[tuple[str, str], str] = self.context["labels"]
        return labels.get((e.target_type, e.target_id))


class ProjectActivityView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]
    pagination_class = PageNumberPagination
    token_scopes = {"GET": "projects:read"}

    @extend_schema(
        summary="The audit log of a project, newest first (admin, reviewer)",
        responses=ActivityOutputSerializer(many=True),
    )
    def get(self, request: Request, project_id: int) -> Response:
        return paginated(
            request,
            self,
            project_activity(actor(request), project_id),
            ActivityOutputSerializer,
            context=lambda page: {"labels": audit_target_labels(page)},
        )


class ProjectAgreementView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]
    token_scopes = {"GET": "projects:read"}

    @extend_schema(
        summary="Agreement between freelancers on the same items: Krippendorff's alpha per rating or choice field",
        responses=inline_serializer(
            "FieldAgreement",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "type": serializers.CharField(),
                "alpha": serializers.FloatField(allow_null=True),
                "items_compared": serializers.IntegerField(help_text="Items with at least two answers."),
                "note": serializers.CharField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request, project_id: int) -> Response:
        return Response(project_agreement(project_visible_to(actor(request), project_id)))


class ProjectTransitionView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]
    token_scopes = {"POST": "projects:write"}

    @extend_schema(
        summary="Publish, pause, resume or close a project (admin)",
        description="Publishing checks the platform minimum hourly rate and the output spec, then makes a task "
        "with its replica slots for every ready item. Answers 409 when the change is not allowed.",
        request=TransitionInputSerializer,
        responses=ProjectOutputSerializer,
    )
    def post(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = project_transition(actor=actor(request), project=project, action=data.validated_data["action"])
        return Response(_reloaded(request, project))


class ProjectProgressView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]
    token_scopes = {"GET": "projects:read"}

    @extend_schema(
        summary="Progress of a project: files, items, tasks and slots by state (admin, reviewer)",
        responses=inline_serializer(
            "ProjectProgress",
            {
                "files": serializers.DictField(child=serializers.IntegerField()),
                "items": serializers.DictField(child=serializers.IntegerField()),
                "tasks": serializers.IntegerField(help_text="Tasks of ordinary (not gold) items."),
                "gold_items": serializers.IntegerField(),
                "slots": serializers.DictField(child=serializers.IntegerField()),
            },
        ),
    )
    def get(self, request: Request, project_id: int) -> Response:
        return Response(project_progress(project_visible_to(actor(request), project_id)))
