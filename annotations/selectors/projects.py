"""Who sees which projects and items. Every read of a project goes through here."""

from __future__ import annotations

from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext

from annotations.domain.errors import NotFound, PermissionDenied
from annotations.models import AuditEvent, Contribution, Item, MediaFile, Project, ProjectStatus, Role, User


def _visible(actor: User, base: QuerySet[Project]) -> QuerySet[Project]:
    """Staff see their organisation's projects; freelancers see the published marketplace."""
    if actor.role in (Role.ADMIN, Role.REVIEWER) and actor.organization_id is not None:
        return base.filter(organization_id=actor.organization_id)
    if actor.role == Role.FREELANCER:
        return base.filter(status=ProjectStatus.PUBLISHED)
    return base.none()


def projects_visible_to(actor: User) -> QuerySet[Project]:
    """Staff see their organisation's projects; freelancers see the published marketplace. With each project's
    organisation and item count, as the project pages show them."""
    return _visible(
        actor,
        Project.objects.select_related("organization")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-id"),
    )


def project_visible_to(actor: User, project_id: int) -> Project:
    project = projects_visible_to(actor).filter(pk=project_id).first()
    if project is None:
        raise NotFound(gettext("No such project."))
    return project


# A project's texts and specs: large to decode, and never read by taking work, saving it or signs of activity.
PROJECT_TEXTS = ("brief", "instructions", "examples", "output_spec", "rubric", "modalities")


def project_to_claim_in(actor: User, project_id: int) -> Project:
    """The project as "Start next task" reads it, under the same visibility as `project_visible_to`: without the
    count of its items (a join over every item of the project on every claim, growing with the project) or its
    organisation, and without the texts and specs a claim does not read."""
    project = _visible(actor, Project.objects.defer(*PROJECT_TEXTS)).filter(pk=project_id).first()
    if project is None:
        raise NotFound(gettext("No such project."))
    return project


def check_administers(actor: User, project_id: int) -> None:
    """The caller is an admin of the project's organization: other roles 403, other organizations 404."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(gettext("Only the project's admins may do this."))
    org = actor.organization_id
    if org is None or not Project.objects.filter(pk=project_id, organization_id=org).exists():
        raise NotFound(gettext("No such project."))


def items_visible_to(actor: User, project_id: int) -> QuerySet[Item]:
    """The items of a project, for its organisation's staff only; everyone else gets 404 for the project."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER):
        raise NotFound(gettext("No such project."))
    project = project_visible_to(actor, project_id)
    return Item.objects.filter(project=project).prefetch_related(
        Prefetch("files", queryset=MediaFile.objects.order_by("id"))
    )


def project_activity(actor: User, project_id: int) -> QuerySet[AuditEvent]:
    """The audit trail of a project the actor may see, newest first, with who did it: what was done to the
    project itself and to its contributions (claims, submissions, decisions, bonuses), the same events as the
    organization's audit log."""
    project = project_visible_to(actor, project_id)
    work = Contribution.objects.filter(project=project).annotate(key=Cast("pk", CharField())).values("key")
    return (
        AuditEvent.objects.filter(
            Q(target_type="project", target_id=str(project.pk)) | Q(target_type="contribution", target_id__in=work)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
