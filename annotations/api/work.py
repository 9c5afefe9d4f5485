"""The freelancer's API: marketplace, claiming, the workspace's autosave, drafts, activity, return, submit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.exams import MarketplaceExamSerializer, marketplace_exam
from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, actor
from annotations.api.projects import MEDIA_LINK_SECONDS, MediaFileOutputSerializer, ProjectOutputSerializer
from annotations.api.serializers import StrictInputSerializer
from annotations.api.throttling import ApiRateThrottle, DraftUploadThrottle
from annotations.domain.errors import PermissionDenied
from annotations.domain.provenance import SOURCE_TYPES
from annotations.models import Contribution, ContributionState, Draft, DraftKind, MediaFile, Role
from annotations.providers.storage import object_storage
from annotations.selectors.projects import project_to_claim_in
from annotations.selectors.work import (
    check_owns,
    contribution_etag,
    contribution_visible_to,
    contributions_of,
    marketplace_for,
    may_see_media,
)
from annotations.services.work import (
    DraftInput,
    WorkState,
    contribution_activity,
    contribution_claim_next,
    contribution_return,
    contribution_save,
    contribution_submit,
    draft_create,
    draft_upload_request,
)

# --- Output ----------------------------------------------------------------------------------------------------


class MarketplaceProjectSerializer(ProjectOutputSerializer):
    work_left = serializers.IntegerField(help_text="Open slots of tasks you have not worked on.")
    my_contribution_id = serializers.IntegerField(allow_null=True, help_text="Your task in progress here, if any.")
    revisions_waiting = serializers.IntegerField(
        help_text="Your work here a reviewer sent back while you held another task: Start next task resumes it."
    )
    exam = serializers.SerializerMethodField(help_text="The qualification exam to pass before claiming, if any.")

    @extend_schema_field(MarketplaceExamSerializer(allow_null=True))
    def get_exam(self, project: Any) -> dict[str, Any] | None:
        return marketplace_exam(project)


class WorkProjectSerializer(ProjectOutputSerializer):
    item_count = None  # type: ignore[assignment]
    organization = None  # type: ignore[assignment]


class TaskFileSerializer(MediaFileOutputSerializer):
    """A task's media file; links only for the holder of an active lease and the project's staff."""

    def get_preview_url(self, media: MediaFile) -> str | None:
        return super().get_preview_url(media) if self.context.get("media_allowed") else None

    def get_download_url(self, media: MediaFile) -> str | None:
        return super().get_download_url(media) if self.context.get("media_allowed") else None


class DraftOutputSerializer(serializers.Serializer[Draft]):
    id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DraftKind.choices)
    body = serializers.CharField(help_text="The text of a text draft.")
    name = serializers.CharField()
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    change_note = serializers.CharField()
    what_failed = serializers.CharField()
    tools = serializers.ListField(child=serializers.CharField())
    generative_tools_used = serializers.BooleanField()
    source_type = serializers.CharField(help_text="IPTC digital source type the creator declared.")
    active_seconds = serializers.IntegerField(help_text="Active time since the draft before.")
    sessions = serializers.IntegerField(help_text="Editing sessions since the draft before.")
    typed_chars = serializers.IntegerField()
    pasted_chars = serializers.IntegerField()
    content_sha256 = serializers.CharField()
    previous_sha256 = serializers.CharField(help_text="The chain hash of the draft before ('' for the first).")
    chain_sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, draft: Draft) -> str | None:
        if draft.kind != DraftKind.FILE:
            return None
        return object_storage().presigned_get(
            key=draft.storage_key, expires_in=MEDIA_LINK_SECONDS, filename=draft.name, content_type=draft.content_type
        )


class NoteVersionSerializer(serializers.Serializer[Any]):
    body = serializers.CharField()
    anchor = serializers.JSONField(allow_null=True)
    at = serializers.CharField(help_text="Server time this version was saved.")


class NoteSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    body = serializers.CharField()
    anchor = serializers.JSONField(
        allow_null=True,
        help_text='null, or {"type": "region", "file", "shape": "rectangle"|"polygon", "points": [[x, y], …] (0..1)}, '
        '{"type": "time", "file", "start", "end"} (seconds), {"type": "span", "file", "start", "end"} (Unicode '
        'code points, as Python indexes a str: text[start:end] is the passage) or {"type": "draft", "draft"}.',
    )
    created_at = serializers.CharField(help_text="Server time the note was first saved.")
    edited_at = serializers.CharField(
        allow_null=True, help_text="Server time of the last change to its body or anchor; null if never edited."
    )
    history = NoteVersionSerializer(
        many=True, help_text="Earlier versions, oldest first (kept by the server; ignored on input)."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return note_shown(instance)


def note_shown(note: dict[str, Any]) -> dict[str, Any]:
    """A stored note as NoteSerializer describes it, built directly: every autosave answers the notes, and binding
    and deep-copying the nested serializers' fields for each note cost more than the rest of the answer. A note
    never edited is stored without `edited_at` and `history` (domain/work.py:normalise_notes)."""
    edited = note.get("edited_at")
    return {
        "id": str(note["id"]),
        "body": str(note["body"]),
        "anchor": note.get("anchor"),
        "created_at": str(note["created_at"]),
        "edited_at": None if edited is None else str(edited),
        "history": [
            {"body": str(h["body"]), "anchor": h.get("anchor"), "at": str(h["at"])} for h in note.get("history", [])
        ],
    }


@extend_schema_field(NoteSerializer(many=True))
class NotesField(serializers.Field):  # type: ignore[type-arg]
    """The notes of a contribution in an answer, shaped as NoteSerializer documents them (see `note_shown`)."""

    def to_representation(self, value: Any) -> list[dict[str, Any]]:
        return [note_shown(n) for n in value]


class ReviewOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    reason = serializers.CharField(help_text="Why, for the freelancer (feedback on a revision request).")
    scores = serializers.JSONField()
    automatic = serializers.BooleanField()
    reviewer = serializers.CharField(source="reviewer.display_name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class ContributionSummarySerializer(serializers.Serializer[Contribution]):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=ContributionState.choices)
    project_id = serializers.IntegerField()
    project_title = serializers.CharField(source="project.title")
    item = serializers.CharField(source="task.item.external_id")
    version = serializers.IntegerField()
    active_seconds = serializers.IntegerField()
    lease_expires_at = serializers.SerializerMethodField()
    started_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_lease_expires_at(self, c: Contribution) -> str | None:
        if c.state != ContributionState.IN_PROGRESS or c.slot is None or c.slot.lease_expires_at is None:
            return None
        return c.slot.lease_expires_at.isoformat()


class ContributionOutputSerializer(ContributionSummarySerializer):
    project = WorkProjectSerializer()
    files = serializers.SerializerMethodField()
    intent = serializers.CharField()
    notes = NotesField()
    answers = serializers.JSONField(help_text="Answers to the output spec's other fields, by key.")
    drafts = DraftOutputSerializer(many=True)
    tools = serializers.ListField(child=serializers.CharField())
    generative_tools_used = serializers.BooleanField()
    attested = serializers.BooleanField()
    content_sha256 = serializers.CharField()
    chain_sha256 = serializers.CharField()
    freelancer = serializers.CharField(source="freelancer.display_name")
    revisions = serializers.IntegerField()
    reviews = ReviewOutputSerializer(many=True, help_text="Decisions and feedback, oldest first.")
    dispute = serializers.CharField()
    disputed_at = serializers.DateTimeField(allow_null=True)
    dispute_outcome = serializers.CharField()

    @extend_schema_field(TaskFileSerializer(many=True))
    def get_files(self, c: Contribution) -> list[dict[str, Any]]:
        files = list(c.task.item.files.all())
        return list(TaskFileSerializer(files, many=True, context=self.context).data)  # type: ignore[arg-type]


class WorkSavedSerializer(serializers.Serializer[Contribution]):
    """What an autosave answers: the saved work as the server keeps it (notes with their times and history), its
    new version, and the time and lease the save counted. The rest of the contribution did not change."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=ContributionState.choices)
    version = serializers.IntegerField()
    intent = serializers.CharField()
    notes = NotesField()
    answers = serializers.JSONField(help_text="Answers to the output spec's other fields, by key.")
    active_seconds = serializers.IntegerField()
    lease_expires_at = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_lease_expires_at(self, c: Contribution) -> str | None:
        return ContributionSummarySerializer.get_lease_expires_at(self, c)  # type: ignore[arg-type]


def contribution_response(request: Request, c: Contribution, *, fresh: bool = False) -> Response:
    """The whole contribution; read again unless `fresh` (already read by the visibility selector)."""
    who = actor(request)
    shown = c if fresh else contribution_visible_to(who, c.pk)
    context = {"media_allowed": may_see_media(who, shown)}
    return Response(ContributionOutputSerializer(shown, context=context).data)


def owned_input(serializer: type[serializers.Serializer[Any]], request: Request, contribution_id: int) -> Any:
    """The request's body, validated. The services find the caller's own contribution under its lock (404 for
    anyone else's), so the success path reads nothing for ownership; a body that fails validation is checked for
    ownership first, so a stranger learns nothing from the errors of a body: 404 whatever they send."""
    data = serializer(data=request.data)
    if not data.is_valid():
        check_owns(actor(request), contribution_id)
        raise serializers.ValidationError(data.errors)
    return data.validated_data


# --- Input -----------------------------------------------------------------------------------------------------


class WorkInputSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version this save started from.")
    intent = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20_000)
    notes = serializers.JSONField(
        help_text="The whole list of notes (see NoteOutput): id, body and anchor each; the server keeps "
        "created_at, edited_at and history (values sent for them are ignored)."
    )
    answers = serializers.JSONField(help_text="Answers to the output spec's other fields, by key.")


class DraftUploadInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=500)
    size_bytes = serializers.IntegerField(min_value=0)
    content_type = serializers.CharField(max_length=100)


class DraftInputSerializer(StrictInputSerializer):
    client_key = serializers.RegexField(r"^[A-Za-z0-9_-]{8,64}$", help_text="Any unique id; a replay is a no-op.")
    change_note = serializers.CharField(max_length=10_000)
    what_failed = serializers.CharField(max_length=10_000, allow_blank=True, required=False, default="")
    text = serializers.CharField(trim_whitespace=False, required=False, max_length=200_000)
    upload_token = serializers.CharField(required=False, help_text="From draft-uploads, once the file is posted.")
    tools = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    generative_tools_used = serializers.BooleanField(required=False, default=False)
    source_type = serializers.ChoiceField(
        choices=SOURCE_TYPES,
        required=False,
        default="digitalCreation",
        help_text="What this draft is, in the IPTC digital source type vocabulary; signed into the manifest.",
    )
    typed_chars = serializers.IntegerField(
        required=False, default=0, help_text="Characters typed in the workspace since the last draft (a count only)."
    )
    pasted_chars = serializers.IntegerField(
        required=False, default=0, help_text="Characters pasted in the workspace since the last draft (a count only)."
    )


class SubmitInputSerializer(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1)
    tools = serializers.ListField(child=serializers.CharField(max_length=100), max_length=30)
    generative_tools_used = serializers.BooleanField()
    attested = serializers.BooleanField(help_text="I made this work myself, as described in my notes and drafts.")


def _freelancer_only(request: Request) -> None:
    if actor(request).role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers work on tasks."))


# --- Views -----------------------------------------------------------------------------------------------------


class MarketplaceView(APIView):
    permission_classes = API_PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Published projects you qualify for, with pay, effective hourly rate and work left (freelancer)",
        description="403 `onboarding_incomplete` (with `fields` naming what is missing) until onboarding is done.",
        responses=MarketplaceProjectSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _freelancer_only(request)
        # marketplace_for answers 403 `onboarding_incomplete` itself, from the profile it reads anyway.
        return paginated(request, self, marketplace_for(actor(request)), MarketplaceProjectSerializer)  # type: ignore[arg-type]


class ClaimView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Start the next task of a project (freelancer): one replica slot, with a lease",
        description="Answers your task in progress in this project if you have one. 409 `no_work_left` when "
        "nothing is left for you, `project_not_open` when the project is paused or closed; 403 "
        "`onboarding_incomplete` until onboarding is done.",
        request=None,
        responses={201: ContributionSummarySerializer},
    )
    def post(self, request: Request, project_id: int) -> Response:
        _freelancer_only(request)
        project = project_to_claim_in(actor(request), project_id)
        c = contribution_claim_next(actor=actor(request), project=project)
        # The summary only, from what the claim read: the workspace loads the whole contribution itself.
        return Response(ContributionSummarySerializer(c).data, status=status.HTTP_201_CREATED)


class ContributionListView(APIView):
    permission_classes = API_PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Your contributions, most recently worked on first (freelancer)",
        parameters=[OpenApiParameter("state", enum=ContributionState.values, required=False)],
        responses=ContributionSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _freelancer_only(request)
        state = request.query_params.get("state")
        state = state if state in ContributionState.values else None
        return paginated(request, self, contributions_of(actor(request), state), ContributionSummarySerializer)


class ContributionDetailView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="A contribution with its task, notes and drafts (author; project staff)",
        description="Answers with an ETag: the same request with If-None-Match answers 304 while nothing changed.",
        responses={200: ContributionOutputSerializer, 304: OpenApiResponse(description="Not modified since the ETag.")},
    )
    def get(self, request: Request, contribution_id: int) -> Response:
        # The workspace asks again on focus and before saying all is saved: unchanged work answers 304 after one
        # small read (the browser's cache revalidates with If-None-Match by itself).
        etag = contribution_etag(actor(request), contribution_id, links_valid_for=MEDIA_LINK_SECONDS)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        shown = contribution_response(request, contribution_visible_to(actor(request), contribution_id), fresh=True)
        for name, value in headers.items():
            shown[name] = value
        return shown


class ContributionWorkView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)

    @extend_schema(
        summary="Autosave the work (author): intent, notes and fields, from the version it started",
        description="409 `stale_version` when it was saved elsewhere meanwhile: fetch, merge, save again.",
        request=WorkInputSerializer,
        responses=WorkSavedSerializer,
    )
    def put(self, request: Request, contribution_id: int) -> Response:
        v = owned_input(WorkInputSerializer, request, contribution_id)
        c = contribution_save(
            actor=actor(request),
            contribution_id=contribution_id,
            base_version=v["version"],
            state=WorkState(intent=v["intent"], notes=v["notes"], answers=v["answers"]),
        )
        return Response(WorkSavedSerializer(c).data)


class ContributionActivityView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)

    @extend_schema(
        summary="A sign of activity from the workspace (author): counts time on task and renews the lease",
        request=None,
        responses=ContributionSummarySerializer,
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        c = contribution_activity(actor=actor(request), contribution_id=contribution_id)
        return Response(ContributionSummarySerializer(c).data)


class ContributionReturnView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)

    @extend_schema(
        summary="Give the task back (author); your drafts stay visible to you",
        request=None,
        responses=ContributionOutputSerializer,
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        return contribution_response(
            request, contribution_return(actor=actor(request), contribution_id=contribution_id)
        )


class DraftUploadView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)
    throttle_classes = [ApiRateThrottle, DraftUploadThrottle]

    @extend_schema(
        summary="Ask to upload a draft file (author): a presigned POST and a token for the draft",
        request=DraftUploadInputSerializer,
        responses={
            201: inline_serializer(
                "DraftUploadTicket",
                {
                    "upload_token": serializers.CharField(),
                    "url": serializers.CharField(),
                    "form_fields": serializers.DictField(child=serializers.CharField()),
                    "expires_in": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        validated = owned_input(DraftUploadInputSerializer, request, contribution_id)
        ticket = draft_upload_request(actor=actor(request), contribution_id=contribution_id, **validated)
        body = {
            "upload_token": ticket.token,
            "url": ticket.post.url,
            "form_fields": ticket.post.fields,
            "expires_in": ticket.post.expires_in,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class DraftListView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)

    @extend_schema(
        summary="Save a draft iteration (author): a text, or a file uploaded with draft-uploads",
        description="Drafts are immutable and chained by hash. The same client_key again answers the saved draft "
        "with 200 instead of 201.",
        request=DraftInputSerializer,
        responses={201: DraftOutputSerializer, 200: DraftOutputSerializer},
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        validated = owned_input(DraftInputSerializer, request, contribution_id)
        draft, created = draft_create(
            actor=actor(request), contribution_id=contribution_id, draft=DraftInput(**validated)
        )
        return Response(
            DraftOutputSerializer(draft).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ContributionSubmitView(APIView):
    permission_classes = API_PERMISSIONS  # the services find only the caller's own contribution (404 otherwise)

    @extend_schema(
        summary="Submit (author): checked against the output spec field by field, then read-only",
        request=SubmitInputSerializer,
        responses=ContributionOutputSerializer,
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        v = owned_input(SubmitInputSerializer, request, contribution_id)
        c = contribution_submit(
            actor=actor(request),
            contribution_id=contribution_id,
            base_version=v["version"],
            tools=v["tools"],
            generative_tools_used=v["generative_tools_used"],
            attested=v["attested"],
        )
        return contribution_response(request, c)
