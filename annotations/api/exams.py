"""Qualification exams: staff build them and read the results; freelancers take them and see what they earned."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, AdminForWrites, FreelancerRole, IsStaffRole, actor
from annotations.api.projects import MediaFileOutputSerializer
from annotations.api.serializers import StrictInputSerializer
from annotations.domain import exams as rules
from annotations.domain import markdown
from annotations.models import ExamAttempt, QualificationExam, Role
from annotations.selectors.exams import (
    STATUSES,
    attempt_items,
    attempt_of,
    exam_results,
    exam_visible_to,
    exams_visible_to,
    qualifications_of,
    standing_of,
)
from annotations.services.exams import ExamFields, exam_attempt_start, exam_attempt_submit, exam_create, exam_update

# --- Output ----------------------------------------------------------------------------------------------------


class ExamItemOutputSerializer(serializers.Serializer[Any]):
    item_id = serializers.IntegerField(source="gold_item.item_id")
    external_id = serializers.CharField(source="gold_item.item.external_id")
    project_id = serializers.IntegerField(source="gold_item.project_id")
    project_title = serializers.CharField(source="gold_item.project.title")
    position = serializers.IntegerField()
    answers = serializers.JSONField(source="gold_item.answers", help_text="The known answers (staff only).")


class ExamStandingSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=STATUSES)
    retry_at = serializers.DateTimeField(allow_null=True, help_text="When a failed attempt may be retried.")
    score = serializers.FloatField(allow_null=True, help_text="Of the passed attempt, else of the last failed one.")
    open_attempt_id = serializers.IntegerField(allow_null=True)


def standing_out(standing: Any) -> dict[str, Any]:
    return {
        "status": standing.status,
        "retry_at": standing.retry_at,
        "score": standing.best.score if standing.best is not None else None,
        "open_attempt_id": standing.open_attempt_id,
    }


class MarketplaceExamSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    retry_at = serializers.DateTimeField(allow_null=True)


def marketplace_exam(project: Any) -> dict[str, Any] | None:
    """A marketplace card's exam: the project's required exam and the freelancer's standing on it."""
    standing = getattr(project, "exam_standing", None)
    if project.required_exam_id is None or standing is None:
        return None
    retry = standing.retry_at.isoformat() if standing.retry_at is not None else None
    return {
        "id": project.required_exam_id,
        "title": project.required_exam.title,
        "status": standing.status,
        "retry_at": retry,
    }


class ExamOutputSerializer(serializers.Serializer[QualificationExam]):
    """An exam. Staff see its items with their known answers; freelancers see neither, but their standing."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    instructions = serializers.CharField()
    instructions_html = serializers.SerializerMethodField()
    pass_mark = serializers.FloatField(help_text="Share of items to match, 0 to 1.")
    retry_delay_hours = serializers.IntegerField()
    item_count = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField(help_text="Staff only (null for freelancers).")
    required_by = serializers.SerializerMethodField(help_text="Projects that require it (ids; staff only).")
    mine = serializers.SerializerMethodField(help_text="Your standing (freelancers only).")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def _staff(self) -> bool:
        return bool(self.context.get("staff"))

    def get_instructions_html(self, exam: QualificationExam) -> str:
        return markdown.render(exam.instructions)

    def get_item_count(self, exam: QualificationExam) -> int:
        count = getattr(exam, "item_count", None)
        return int(count) if count is not None else len(exam.exam_items.all())

    @extend_schema_field(ExamItemOutputSerializer(many=True, allow_null=True))
    def get_items(self, exam: QualificationExam) -> list[dict[str, Any]] | None:
        if not self._staff():
            return None
        return list(ExamItemOutputSerializer(exam.exam_items.all(), many=True).data)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), allow_null=True))
    def get_required_by(self, exam: QualificationExam) -> list[int] | None:
        if not self._staff():
            return None
        return sorted(exam.requiring_projects.values_list("pk", flat=True))

    @extend_schema_field(ExamStandingSerializer(allow_null=True))
    def get_mine(self, exam: QualificationExam) -> dict[str, Any] | None:
        standing = self.context.get("standing")
        return None if standing is None else standing_out(standing)


class AttemptFieldSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    type = serializers.ChoiceField(choices=["rating", "choice"])
    label = serializers.CharField()  # type: ignore[assignment]
    min = serializers.IntegerField(required=False, help_text="Ratings.")
    max = serializers.IntegerField(required=False, help_text="Ratings.")
    options = serializers.ListField(child=serializers.CharField(), required=False, help_text="Choices.")
    multiple = serializers.BooleanField(required=False, help_text="Choices: several may be picked.")


class AttemptItemSerializer(serializers.Serializer[Any]):
    item_id = serializers.IntegerField()
    position = serializers.IntegerField()
    project_id = serializers.IntegerField()
    project_title = serializers.CharField()
    instructions_html = serializers.SerializerMethodField()
    files = MediaFileOutputSerializer(many=True)
    fields = AttemptFieldSerializer(many=True, help_text="What to answer for this item.")  # type: ignore[assignment]

    def get_instructions_html(self, item: dict[str, Any]) -> str:
        return markdown.render(item["instructions"])


class AttemptOutputSerializer(serializers.Serializer[ExamAttempt]):
    id = serializers.IntegerField()
    exam_id = serializers.IntegerField()
    exam_title = serializers.CharField(source="exam.title")
    pass_mark = serializers.FloatField(source="exam.pass_mark")
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.JSONField(help_text="What was submitted, by item id then field key.")
    matched = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="Share of items matched.")
    passed = serializers.BooleanField(allow_null=True)
    retry_at = serializers.SerializerMethodField(help_text="After a failure: when a new attempt may start.")
    items = serializers.SerializerMethodField(help_text="The items to answer, in order (open attempts only).")

    def get_retry_at(self, a: ExamAttempt) -> str | None:
        if a.submitted_at is None or a.passed:
            return None
        at = rules.retry_at(a.submitted_at, a.exam.retry_delay_hours)
        return None if at is None else at.isoformat()

    @extend_schema_field(AttemptItemSerializer(many=True, allow_null=True))
    def get_items(self, a: ExamAttempt) -> list[dict[str, Any]] | None:
        if a.submitted_at is not None:
            return None
        return list(AttemptItemSerializer(attempt_items(a.exam), many=True).data)


class ResultAttemptSerializer(serializers.Serializer[ExamAttempt]):
    id = serializers.IntegerField()
    freelancer = serializers.CharField(source="freelancer.display_name")
    freelancer_id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    matched = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)


class ExamResultsSerializer(serializers.Serializer[Any]):
    submitted = serializers.IntegerField(help_text="Submitted attempts.")
    passed = serializers.IntegerField(help_text="Passed attempts.")
    pass_rate = serializers.FloatField(allow_null=True, help_text="passed / submitted (null before any).")
    people = serializers.IntegerField(help_text="Freelancers who started it.")
    qualified_people = serializers.IntegerField(help_text="Freelancers who passed.")
    attempts = ResultAttemptSerializer(many=True, help_text="Newest first.")


class QualificationSerializer(serializers.Serializer[Any]):
    exam_id = serializers.IntegerField()
    title = serializers.CharField()
    organization = serializers.CharField()
    score = serializers.FloatField()
    pass_mark = serializers.FloatField()
    submitted_at = serializers.DateTimeField()
    retry_at = serializers.DateTimeField(allow_null=True)


class QualificationsSerializer(serializers.Serializer[Any]):
    passed = QualificationSerializer(many=True, help_text="Earned qualifications, latest first.")
    failed = QualificationSerializer(many=True, help_text="Exams failed and not passed since, with retry_at.")


# --- Input -----------------------------------------------------------------------------------------------------


class ExamInputSerializer(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    instructions = serializers.CharField(allow_blank=True, max_length=20_000, required=False)
    pass_mark = serializers.DecimalField(
        max_digits=4, decimal_places=3, required=False, help_text="Share of items to match, 0 to 1 (default 0.8)."
    )
    retry_delay_hours = serializers.IntegerField(required=False, help_text="Wait after a failure (default 24).")
    item_ids = serializers.ListField(
        child=serializers.IntegerField(),
        max_length=200,
        help_text="Gold items of your organisation's projects, by item id, in the order they are asked.",
    )


class ExamSubmitInputSerializer(StrictInputSerializer):
    answers = serializers.JSONField(help_text="{item id: {field key: answer}}; unanswered fields count as misses.")


def _exam_response(request: Request, exam: QualificationExam, code: int = status.HTTP_200_OK) -> Response:
    who = actor(request)
    fresh = exam_visible_to(who, exam.pk)
    staff = who.role in (Role.ADMIN, Role.REVIEWER)
    context = {"staff": staff, "standing": None if staff else standing_of(who, fresh)}
    return Response(ExamOutputSerializer(fresh, context=context).data, status=code)


def _attempt_response(a: ExamAttempt, code: int = status.HTTP_200_OK) -> Response:
    fresh = ExamAttempt.objects.select_related("exam").get(pk=a.pk)
    return Response(AttemptOutputSerializer(fresh).data, status=code)


# --- Views -----------------------------------------------------------------------------------------------------


class ExamListView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Your organisation's qualification exams (admin, reviewer)", responses=ExamOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        return paginated(
            request,
            self,
            exams_visible_to(actor(request)).prefetch_related(
                "exam_items__gold_item__item", "exam_items__gold_item__project"
            ),
            ExamOutputSerializer,
            context=lambda page: {"staff": True},
        )

    @extend_schema(
        summary="Create a qualification exam from gold items (admin)",
        request=ExamInputSerializer,
        responses={201: ExamOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = ExamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exam = exam_create(actor=actor(request), fields=ExamFields(**data.validated_data))
        return _exam_response(request, exam, status.HTTP_201_CREATED)


class ExamDetailView(APIView):
    permission_classes = [*API_PERMISSIONS, AdminForWrites]

    @extend_schema(
        summary="One exam: with its items and answers for staff; without them, and with your standing, for "
        "freelancers (exams a published project requires)",
        responses=ExamOutputSerializer,
    )
    def get(self, request: Request, exam_id: int) -> Response:
        return _exam_response(request, exam_visible_to(actor(request), exam_id))

    @extend_schema(
        summary="Change an exam (admin); item_ids replaces the items",
        request=ExamInputSerializer(partial=True),
        responses=ExamOutputSerializer,
    )
    def patch(self, request: Request, exam_id: int) -> Response:
        exam_visible_to(actor(request), exam_id)
        data = ExamInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        exam = exam_update(actor=actor(request), exam_id=exam_id, fields=ExamFields(**data.validated_data))
        return _exam_response(request, exam)


class ExamResultsView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]

    @extend_schema(summary="Attempts at an exam and its pass rate (admin, reviewer)", responses=ExamResultsSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        return Response(ExamResultsSerializer(exam_results(exam_visible_to(actor(request), exam_id))).data)


class ExamAttemptStartView(APIView):
    permission_classes = [*API_PERMISSIONS, FreelancerRole]

    @extend_schema(
        summary="Start an attempt, or resume your open one (freelancer): the items to answer, without answers",
        description="201 for a new attempt, 200 for the open one. 409 `exam_retry_later` (fields.retry_at) within "
        "the retry delay of a failed attempt; 409 `exam_already_passed` once passed.",
        request=None,
        responses={200: AttemptOutputSerializer, 201: AttemptOutputSerializer},
    )
    def post(self, request: Request, exam_id: int) -> Response:
        attempt, created = exam_attempt_start(actor=actor(request), exam_id=exam_id)
        return _attempt_response(attempt, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ExamAttemptSubmitView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Submit your attempt (author): scored at once; submitting again answers the same result",
        request=ExamSubmitInputSerializer,
        responses=AttemptOutputSerializer,
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        attempt_of(actor(request), attempt_id)  # another's attempt is 404 whatever the body
        data = ExamSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = exam_attempt_submit(
            actor=actor(request), attempt_id=attempt_id, answers=data.validated_data["answers"]
        )
        return _attempt_response(attempt)


class MyQualificationsView(APIView):
    permission_classes = [*API_PERMISSIONS, FreelancerRole]

    @extend_schema(
        summary="Exams you passed (earned qualifications) and failed (freelancer)", responses=QualificationsSerializer
    )
    def get(self, request: Request) -> Response:
        return Response(QualificationsSerializer(qualifications_of(actor(request))).data)
