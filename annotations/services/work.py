"""The freelancer's side: claiming a slot, autosaving the work, drafts, time on task, returning, submitting.

Claiming is one transaction. On PostgreSQL the open slot is taken with `SELECT … FOR UPDATE SKIP LOCKED`, so
concurrent claims each get a different row instead of queueing behind one another; on SQLite the settings open
every transaction with BEGIN IMMEDIATE, which serialises writers. Either way the database constraints decide the
last word: a slot has one assignee, a freelancer one contribution per task.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, Max, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain import media as media_rules
from annotations.domain import provenance as provenance_rules
from annotations.domain import quality as quality_rules
from annotations.domain import work as rules
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.domain.output_spec import parse as parse_spec
from annotations.models import (
    Contribution,
    ContributionState,
    Draft,
    DraftKind,
    FreelancerProfile,
    GoldItem,
    MediaFile,
    MediaStatus,
    Project,
    ProjectStatus,
    Role,
    Slot,
    SlotState,
    Task,
    User,
)
from annotations.providers.storage import MissingObject, PresignedPost, object_storage
from annotations.selectors.accounts import onboarding_require
from annotations.selectors.projects import PROJECT_TEXTS
from annotations.selectors.work import qualifies
from annotations.services.audit import audit_record
from annotations.services.exams import exam_gate
from annotations.services.quality import fingerprint_later
from annotations.services.webhooks import contribution_event, webhook_emit

DRAFT_UPLOAD_SALT = "atelier.draft-upload"
DRAFT_UPLOAD_EXPIRES_IN = 15 * 60
MAX_DRAFT_TEXT = 200_000


def lease_for(project: Project) -> timedelta:
    return rules.lease_length(project.estimated_minutes, settings.LEASE_MULTIPLE)


def _freelancer(actor: User) -> None:
    if actor.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers take tasks."))


# --- Claiming --------------------------------------------------------------------------------------------------


def contribution_claim_next(*, actor: User, project: Project) -> Contribution:
    """Give the freelancer their task in progress in the project if they have one; else the oldest revision a
    reviewer sent back while they were busy; else one open slot.

    One short transaction of as few statements as the guarantees allow: the task in progress or the oldest revision
    in one locked read, then the slot taken (`SKIP LOCKED`), the contribution and its audit row written. One task at
    a time is the database's to judge (`contribution_one_in_progress_per_project`): two tabs that both read "nothing
    in progress" both try, the loser's insert (or its revision's update) fails, its transaction rolls back, and it
    answers with the winner's contribution instead."""
    _freelancer(actor)
    profile = FreelancerProfile.objects.filter(user_id=actor.pk).first()
    onboarding_require(actor, profile=profile)  # the marketplace opens once onboarding is done
    if project.status != ProjectStatus.PUBLISHED:
        raise Conflict(gettext("This project is not taking new work right now."), code="project_not_open")
    if not qualifies(actor, project, profile):
        raise PermissionDenied(gettext("You do not meet this project's qualifications."), code="not_qualified")
    try:
        with transaction.atomic():
            current = _current(actor, project)
            if current is not None and current.state == ContributionState.IN_PROGRESS:
                return current
            exam_gate(actor=actor, project=project)  # new work only: a task taken before the exam was required stays
            if current is not None:
                return _revision_resume(actor, project, current)
            return _claim_open_slot(actor, project)
    except IntegrityError:
        current = _in_progress(actor, project)  # committed by the winner: READ COMMITTED sees it now
        if current is None:
            raise
        return current


def _in_progress(actor: User, project: Project) -> Contribution | None:
    return (
        Contribution.objects.select_related("slot", "task__item")
        .filter(freelancer=actor, project=project, state=ContributionState.IN_PROGRESS)
        .first()
    )


def _current(actor: User, project: Project) -> Contribution | None:
    """The task in progress, else the oldest revision waiting, locked (`SKIP LOCKED`: a row another request holds,
    say an autosave of the task in progress, is passed over, and the constraint then settles the claim)."""
    waiting_last = Case(When(state=ContributionState.IN_PROGRESS, then=Value(0)), default=Value(1))
    return (
        Contribution.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("slot", "task__item")
        .filter(
            freelancer=actor, project=project, state__in=[ContributionState.IN_PROGRESS, ContributionState.REVISION]
        )
        .order_by(waiting_last, "updated_at", "id")
        .first()
    )


def _revision_resume(actor: User, project: Project, c: Contribution) -> Contribution:
    """Take up a revision that waited for the freelancer's task in progress to end (new lease)."""
    now = timezone.now()
    if c.slot is not None:
        c.slot.state, c.slot.lease_expires_at = SlotState.IN_PROGRESS, now + lease_for(project)
        c.slot.save(update_fields=["state", "lease_expires_at", "updated_at"])
    c.state, c.last_activity_at, c.project = ContributionState.IN_PROGRESS, now, project
    c.save(update_fields=["state", "last_activity_at", "updated_at"])
    audit_record(actor=actor, action="contribution.revision_started", target=c)
    return c


def _claim_open_slot(actor: User, project: Project) -> Contribution:
    now = timezone.now()
    done_tasks = Contribution.objects.filter(freelancer=actor, project=project).values("task_id")
    slot = _gold_slot(actor, project, done_tasks) if _gold_turn(actor, project) else None
    if slot is None:
        slot = (
            Slot.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("task__item")
            .filter(task__project=project, state=SlotState.OPEN)
            .exclude(task_id__in=done_tasks)
            .exclude(task__item_id__in=GoldItem.objects.filter(project=project).values("item_id"))
            .order_by("task_id", "index")
            .first()
        )
    if slot is None:
        raise Conflict(gettext("No tasks are left for you in this project."), code="no_work_left")
    slot.state, slot.assignee, slot.lease_expires_at = SlotState.IN_PROGRESS, actor, now + lease_for(project)
    slot.save(update_fields=["state", "assignee", "lease_expires_at", "updated_at"])
    contribution = Contribution.objects.create(
        project=project, task=slot.task, slot=slot, freelancer=actor, last_activity_at=now, sessions=1
    )
    audit_record(actor=actor, action="contribution.claimed", target=contribution, data={"slot": slot.pk})
    return contribution


def _gold_turn(actor: User, project: Project) -> bool:
    if not project.gold_rate:
        return False
    claims = Contribution.objects.filter(freelancer=actor, project=project).count()
    return quality_rules.gold_turn(settings.SECRET_KEY, actor.pk, project.pk, claims, project.gold_rate)


def _gold_slot(actor: User, project: Project, done_tasks: Any) -> Slot | None:
    """A slot of a gold item the freelancer has not done: an open one, or a new one (gold items have no replica
    count: everyone may be checked on them). The task row lock orders concurrent slot creation."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .filter(project=project, item__gold__isnull=False)
        .exclude(pk__in=done_tasks)
        .order_by("id")
        .first()
    )
    if task is None:
        return None
    slot = (
        Slot.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(task=task, state=SlotState.OPEN)
        .order_by("index")
        .first()
    )
    if slot is None:
        top = Slot.objects.filter(task=task).aggregate(top=Max("index"))["top"]
        slot = Slot.objects.create(task=task, index=0 if top is None else top + 1)
    return slot


def _locked_own(actor: User, contribution_id: int) -> Contribution:
    """The caller's contribution, locked, with what the workspace's answers show (project, slot, item) in the same
    query; anyone else's: 404 (its id says nothing)."""
    c = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("project", "slot", "task__item")
        .filter(pk=contribution_id, freelancer=actor)
        .first()
    )
    if c is None:
        raise NotFound(gettext("No such contribution."))
    return c


def _require_active(c: Contribution) -> None:
    if c.state == ContributionState.SUBMITTED:
        raise Conflict(gettext("This contribution is submitted and read-only."), code="read_only")
    if c.state == ContributionState.REVISION:
        raise Conflict(
            gettext(
                "A reviewer asked for a revision: it starts (with a new lease) from this project's Start next task, "
                "once your task in progress there is submitted or given back."
            ),
            code="revision_waiting",
        )
    if c.state != ContributionState.IN_PROGRESS:
        raise Conflict(
            gettext("This task is no longer yours (returned or lease expired); your drafts stay visible to you."),
            code="lease_lost",
        )


# The lease is renewed on a sign of activity once it has run this long since the last renewal, not on every
# autosave and ping of a busy workspace (a write of the slot's row each time); a lease lasts many minutes.
LEASE_RENEW_AFTER = timedelta(seconds=60)


def _count_time(c: Contribution, now: Any) -> list[str]:
    """Count the time (and any new editing session) since the last sign of activity. Returns the fields changed."""
    c.active_seconds += rules.added_active_time(c.last_activity_at, now)
    c.sessions += rules.starts_session(c.last_activity_at, now)
    c.last_activity_at = now
    return ["active_seconds", "sessions", "last_activity_at"]


def _renew_lease(c: Contribution, now: Any) -> None:
    slot = c.slot
    if slot is None:
        return
    renewed = now + lease_for(c.project)
    if slot.lease_expires_at is None or slot.lease_expires_at < renewed - LEASE_RENEW_AFTER:
        Slot.objects.filter(pk=slot.pk).update(lease_expires_at=renewed, updated_at=now)
        slot.lease_expires_at, slot.updated_at = renewed, now


def _touch(c: Contribution, now: Any) -> list[str]:
    """Count the time since the last sign of activity and extend the lease. Returns the fields changed."""
    fields = _count_time(c, now)
    _renew_lease(c, now)
    return fields


# What a save or a ping never reads of the project: its texts and specs (large JSON to decode on every autosave).
SAVE_DEFERS = tuple(f"project__{name}" for name in (*PROJECT_TEXTS, "qualifications"))


# What a save reads: the columns its checks, its count of time, its lease and its answer use, and no others. Each
# column more is compiled into the query and decoded from the row on every autosave (the intent and answers are
# overwritten, not read; the notes are, for their history).
SAVE_READS = (
    "id",
    "project_id",
    "task_id",
    "slot_id",
    "freelancer_id",
    "state",
    "version",
    "notes",
    "active_seconds",
    "sessions",
    "last_activity_at",
    "updated_at",
    "project__estimated_minutes",
    "slot__lease_expires_at",
    "slot__updated_at",
)


def _own(actor: User, contribution_id: int, *, item: bool = False) -> Contribution:
    """The caller's contribution, not locked, with its project and slot (and `item`, for a summary), 404 for anyone
    else's. Every join costs an autosave: each model more in the row is compiled into the query and built from it;
    without `item` (a save) only the columns a save uses are read."""
    found = Contribution.objects.filter(pk=contribution_id, freelancer=actor)
    if item:
        found = found.select_related("project", "slot", "task__item").defer(*SAVE_DEFERS)
    else:
        found = found.select_related("project", "slot").only(*SAVE_READS)
    try:
        return found.get()
    except Contribution.DoesNotExist:
        raise NotFound(gettext("No such contribution.")) from None


# `_write_if_unchanged` without a condition on the activity time: a save's write.
ANY_ACTIVITY = object()


def _write_if_unchanged(c: Contribution, version: int, last_activity: Any, fields: list[str], now: Any) -> bool:
    """Write `fields` of `c` in one statement, only if the row is still in progress at `version` with the activity
    time it was read with (compare and set; `ANY_ACTIVITY` leaves the time out): the statement is its own
    transaction, and a concurrent save, ping, draft or submit that got there first makes it match nothing."""
    c.updated_at = now
    unchanged = Contribution.objects.filter(pk=c.pk, state=ContributionState.IN_PROGRESS, version=version)
    if last_activity is None:
        unchanged = unchanged.filter(last_activity_at__isnull=True)
    elif last_activity is not ANY_ACTIVITY:
        unchanged = unchanged.filter(last_activity_at=last_activity)
    return unchanged.update(**{f: getattr(c, f) for f in [*fields, "updated_at"]}) == 1


# A write that lost its compare-and-set to a concurrent sign of activity reads again and retries this often.
CAS_ATTEMPTS = 3


def contribution_activity(*, actor: User, contribution_id: int) -> Contribution:
    """A sign of life from the workspace (typing, drawing, playing): counts time on task, extends the lease."""
    now = timezone.now()
    for _ in range(CAS_ATTEMPTS):
        c = _own(actor, contribution_id, item=True)
        _require_active(c)
        version, seen = c.version, c.last_activity_at
        if _write_if_unchanged(c, version, seen, _count_time(c, now), now):
            _renew_lease(c, now)
            return c
    # Other signs of activity counted this moment meanwhile: nothing to add.
    return _own(actor, contribution_id, item=True)


@dataclass(frozen=True, slots=True)
class WorkState:
    intent: str
    notes: Any
    answers: Any


def _anchor_targets(c: Contribution, incoming: Any) -> tuple[dict[int, rules.FileFacts], set[int]]:
    """The task's files and the contribution's drafts the incoming notes' anchors are checked against. Anchors that
    are stored unchanged were checked when they were saved; only when a note brings a new or moved anchor are the
    task's files (kind and probe) or the named drafts read, so an autosave that moves no anchor reads neither."""
    changed = rules.changed_anchors(incoming, c.notes)
    if not changed:
        return {}, set()
    named_files, named_drafts = rules.anchor_targets([{"anchor": a} for a in changed])
    files: dict[int, rules.FileFacts] = {}
    if named_files or any(isinstance(a, dict) and a.get("type") == "time" for a in changed):
        ready = MediaFile.objects.filter(item__task=c.task_id, status=MediaStatus.READY)
        files = {pk: rules.FileFacts(kind, probe) for pk, kind, probe in ready.values_list("pk", "kind", "probe")}
    drafts = set(c.drafts.filter(pk__in=named_drafts).values_list("pk", flat=True)) if named_drafts else set()
    return files, drafts


def contribution_save(*, actor: User, contribution_id: int, base_version: int, state: WorkState) -> Contribution:
    """Autosave with optimistic concurrency: a save that did not start from the current version is refused (409)."""
    if not isinstance(state.answers, dict) or len(state.answers) > 50:
        raise ValidationFailed(
            gettext("Some fields are invalid."), fields={"answers": [gettext("answers is an object of at most 50.")]}
        )
    if len(state.intent) > rules.MAX_INTENT_LENGTH:
        raise ValidationFailed(
            gettext("Some fields are invalid."), fields={"intent": [gettext("The intent is too long.")]}
        )
    now = timezone.now()
    # No lock and no transaction of its own: the save is one UPDATE that matches only the version it started from,
    # so two tabs saving at once cannot both win. It does not match on the activity time: a ping (another tab
    # playing or drawing) that counted time since this read is overwritten by the save's own count from the same
    # starting point, which covers that time (the totals are written whole, never added to), so no number of pings
    # can make a save lose and nothing is counted twice. A ping, in turn, matches the version and the time it read.
    c = _own(actor, contribution_id)
    _require_active(c)
    if base_version != c.version:
        raise _stale(c.version, base_version)
    files, draft_ids = _anchor_targets(c, state.notes)
    try:
        notes = rules.normalise_notes(state.notes, c.notes, now, files, draft_ids)
    except rules.WorkError as exc:
        raise ValidationFailed(gettext("Some notes are invalid."), fields=exc.errors) from exc
    c.intent, c.notes, c.answers = state.intent, notes, state.answers
    c.version += 1
    fields = ["intent", "notes", "answers", "version", *_count_time(c, now)]
    if not _write_if_unchanged(c, base_version, ANY_ACTIVITY, fields, now):
        # Another save, a draft or a submit got there first (or the lease went): say which.
        current = _own(actor, contribution_id)
        _require_active(current)
        raise _stale(current.version, base_version)
    _renew_lease(c, now)
    return c


def _stale(current: int, base: int) -> Conflict:
    return Conflict(
        gettext("This was saved elsewhere meanwhile (version %(current)s, yours started from %(base)s).")
        % {"current": current, "base": base},
        code="stale_version",
        fields={"version": [str(current)]},
    )


def contribution_return(*, actor: User, contribution_id: int) -> Contribution:
    """Give the task back: the slot reopens for someone else; the freelancer keeps read access to their work."""
    with transaction.atomic():
        c = _locked_own(actor, contribution_id)
        _require_active(c)
        _release(c, ContributionState.RETURNED)
        audit_record(actor=actor, action="contribution.returned", target=c)
    return c


def _release(c: Contribution, state: str) -> None:
    if c.slot is not None:
        Slot.objects.filter(pk=c.slot.pk, assignee=c.freelancer).update(
            state=SlotState.OPEN, assignee=None, lease_expires_at=None, updated_at=timezone.now()
        )
    c.state, c.slot = state, None
    c.save(update_fields=["state", "slot", "updated_at"])


def leases_expire(*, now: Any = None, limit: int = 500) -> int:
    """Return slots whose lease ran out to the pool (beat runs this every minute), those of revisions left waiting
    too. Returns how many."""
    now = now or timezone.now()
    released = 0
    with transaction.atomic():
        expired = list(
            Contribution.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("slot")
            .filter(
                state__in=[ContributionState.IN_PROGRESS, ContributionState.REVISION], slot__lease_expires_at__lt=now
            )
            .order_by("slot__lease_expires_at")[:limit]
        )
        for c in expired:
            _release(c, ContributionState.EXPIRED)
            audit_record(actor=None, action="contribution.lease_expired", target=c)
            released += 1
    return released


# --- Drafts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftUpload:
    token: str
    post: PresignedPost


def draft_upload_request(
    *, actor: User, contribution_id: int, name: str, size_bytes: int, content_type: str
) -> DraftUpload:
    """A presigned POST for a draft file, and a token that names it when the draft is saved."""
    with transaction.atomic():
        c = _locked_own(actor, contribution_id)
        _require_active(c)
        if c.drafts.count() >= rules.MAX_DRAFTS:
            raise Conflict(
                gettext("A contribution holds at most %(max_drafts)s drafts.") % {"max_drafts": rules.MAX_DRAFTS},
                code="too_many_drafts",
            )
    clean = media_rules.safe_name(name)
    content_type = media_rules.canonical(content_type)
    kind = media_rules.kind_of(content_type)
    errors: dict[str, list[str]] = {}
    if not clean:
        errors["name"] = [gettext("The file name is empty once path and control characters are removed.")]
    if kind is None:
        errors["content_type"] = [
            (
                gettext("%(type)s is not accepted for drafts.") % {"type": content_type}
                if content_type
                else gettext("That type is not accepted for drafts.")
            )
        ]
    elif not 1 <= size_bytes <= media_rules.MAX_BYTES[kind]:
        errors["size_bytes"] = [
            gettext("Between 1 byte and %(mib)s MiB.") % {"mib": media_rules.MAX_BYTES[kind] // 1024**2}
        ]
    if errors:
        raise ValidationFailed(gettext("This file cannot be a draft."), fields=errors)
    key = f"drafts/{c.pk}/uploads/{uuid.uuid4().hex}/{clean}"
    post = object_storage().presigned_post(
        key=key, content_type=content_type, size=size_bytes, expires_in=DRAFT_UPLOAD_EXPIRES_IN
    )
    token = signing.dumps(
        {"c": c.pk, "k": key, "t": content_type, "s": size_bytes, "n": clean}, salt=DRAFT_UPLOAD_SALT, compress=True
    )
    return DraftUpload(token=token, post=post)


@dataclass(frozen=True, slots=True)
class DraftInput:
    client_key: str
    change_note: str
    what_failed: str = ""
    text: str | None = None
    upload_token: str | None = None
    tools: Any = ()
    generative_tools_used: bool = False
    source_type: str = "digitalCreation"
    typed_chars: int = 0
    pasted_chars: int = 0


def _check_tools(c: Contribution, tools: Any, generative: bool) -> list[str]:
    try:
        cleaned = rules.clean_tools(list(tools))
    except rules.WorkError as exc:
        raise ValidationFailed(gettext("The tools are invalid."), fields=exc.errors) from exc
    if generative and not c.project.generative_tools_allowed:
        raise ValidationFailed(
            gettext("This project does not accept work made with generative tools."),
            code="generative_not_allowed",
            fields={"generative_tools_used": [gettext("Not allowed in this project.")]},
        )
    return cleaned


def draft_create(*, actor: User, contribution_id: int, draft: DraftInput) -> tuple[Draft, bool]:
    """Save an iteration, once: the same client key again answers the draft already saved. (draft, created)."""
    errors: dict[str, list[str]] = {}
    if not draft.change_note.strip():
        errors["change_note"] = [gettext("Say what changed in this draft.")]
    if (draft.text is None) == (draft.upload_token is None):
        errors["text"] = [gettext("A draft is either a text or an uploaded file.")]
    elif draft.text is not None and not (len(draft.text.strip()) > 0 and len(draft.text) <= MAX_DRAFT_TEXT):
        errors["text"] = [
            gettext("A text draft has 1 to %(max_draft_text)s characters.") % {"max_draft_text": f"{MAX_DRAFT_TEXT:,}"}
        ]
    try:
        typed, pasted = rules.clean_evidence(draft.typed_chars, draft.pasted_chars)
    except rules.WorkError as exc:
        errors.update(exc.errors)
    if draft.source_type not in provenance_rules.SOURCE_TYPES:
        errors["source_type"] = [
            gettext("One of the IPTC digital source types: %(source_types)s.")
            % {"source_types": ", ".join(provenance_rules.SOURCE_TYPES)}
        ]
    if errors:
        raise ValidationFailed(gettext("This draft cannot be saved."), fields=errors)
    with transaction.atomic():
        c = _locked_own(actor, contribution_id)
        replay = c.drafts.filter(client_key=draft.client_key).first()
        if replay is not None:
            return replay, False
        _require_active(c)
        generative = draft.generative_tools_used or draft.source_type in provenance_rules.GENERATIVE_SOURCE_TYPES
        tools = _check_tools(c, draft.tools, generative)
        fields: dict[str, Any]
        if draft.text is not None:
            data = draft.text.encode()
            fields = {
                "kind": DraftKind.TEXT,
                "body": draft.text,
                "content_type": "text/plain",
                "size_bytes": len(data),
                "content_sha256": hashlib.sha256(data).hexdigest(),
            }
        else:
            fields = _stored_draft_file(c, draft.upload_token or "")
        previous = c.drafts.order_by("-sequence").first()
        sequence = (previous.sequence + 1) if previous else 1
        if sequence > rules.MAX_DRAFTS:
            raise Conflict(
                gettext("A contribution holds at most %(max_drafts)s drafts.") % {"max_drafts": rules.MAX_DRAFTS},
                code="too_many_drafts",
            )
        now = timezone.now()
        touched = [*_touch(c, now), "updated_at"]
        before = c.drafts.aggregate(seconds=Sum("active_seconds"), sessions=Sum("sessions"))
        prev_hash = previous.chain_sha256 if previous else ""
        saved = Draft.objects.create(
            contribution=c,
            sequence=sequence,
            client_key=draft.client_key,
            change_note=draft.change_note.strip(),
            what_failed=draft.what_failed.strip(),
            tools=tools,
            generative_tools_used=draft.generative_tools_used,
            source_type=draft.source_type,
            active_seconds=max(0, c.active_seconds - (before["seconds"] or 0)),
            sessions=max(1, c.sessions - (before["sessions"] or 0)),
            typed_chars=typed,
            pasted_chars=pasted,
            previous_sha256=prev_hash,
            chain_sha256=rules.chain_hash(prev_hash, fields["content_sha256"], sequence, now),
            created_at=now,
            **fields,
        )
        c.save(update_fields=touched)
        fingerprint_later(saved)
    return saved, True


def _stored_draft_file(c: Contribution, token: str) -> dict[str, Any]:
    try:
        policy = signing.loads(token, salt=DRAFT_UPLOAD_SALT, max_age=DRAFT_UPLOAD_EXPIRES_IN * 4)
    except signing.BadSignature:
        raise ValidationFailed(
            gettext("The upload token is invalid or expired."), fields={"upload_token": [gettext("Upload again.")]}
        ) from None
    if policy["c"] != c.pk:
        raise ValidationFailed(
            gettext("That upload belongs to another contribution."), fields={"upload_token": [gettext("Not yours.")]}
        )
    storage = object_storage()
    try:
        size = storage.size_of(policy["k"])
    except MissingObject:
        raise ValidationFailed(
            gettext("The file has not arrived yet."), fields={"upload_token": [gettext("Upload the file first.")]}
        ) from None
    if size != policy["s"]:
        raise ValidationFailed(
            gettext("The upload is incomplete."),
            fields={
                "upload_token": [gettext("%(sent)s of %(expected)s bytes.") % {"sent": size, "expected": policy["s"]}]
            },
        )
    digest = hashlib.sha256()
    head = b""
    for chunk in storage.chunks(policy["k"]):
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    sniffed = media_rules.sniff(head)
    if sniffed.content_type is None or not media_rules.same_family(policy["t"], sniffed.content_type, head=head):
        raise ValidationFailed(
            gettext("The bytes are %(found)s, not %(expected)s.")
            % {
                "found": sniffed.content_type or sniffed.description,
                "expected": policy["t"],
            },
            fields={"upload_token": [gettext("The file is not what it claims to be.")]},
        )
    sha = digest.hexdigest()
    # The upload key can be posted to again until its policy expires: the draft keeps its own copy.
    final_key = f"drafts/{c.pk}/{sha}/{policy['n']}"
    storage.copy(policy["k"], final_key)
    return {
        "kind": DraftKind.FILE,
        "storage_key": final_key,
        "name": policy["n"],
        "content_type": policy["t"],
        "size_bytes": size,
        "content_sha256": sha,
    }


# --- Submission ------------------------------------------------------------------------------------------------


def contribution_submit(
    *, actor: User, contribution_id: int, base_version: int, tools: Any, generative_tools_used: bool, attested: bool
) -> Contribution:
    """Validate against the output spec, fix the content hash and the chain head, and make it read-only."""
    with transaction.atomic():
        c = _locked_own(actor, contribution_id)
        _require_active(c)
        if base_version != c.version:
            raise Conflict(
                gettext("Save your latest changes first."), code="stale_version", fields={"version": [str(c.version)]}
            )
        cleaned_tools = _check_tools(c, tools, generative_tools_used)
        drafts = list(c.drafts.order_by("sequence"))
        kinds = dict(MediaFile.objects.filter(item__task=c.task_id).values_list("pk", "kind"))
        spec = parse_spec(c.project.output_spec)
        errors = rules.submission_problems(
            spec,
            intent=c.intent,
            notes=c.notes,
            answers=c.answers,
            drafts=[rules.DraftFacts(d.pk, d.content_type) for d in drafts],
            kinds_by_file=kinds,
        )
        if not attested:
            errors["attested"] = [gettext("Confirm that this work is your own.")]
        gold = GoldItem.objects.filter(item__task=c.task_id).first()
        if errors:
            raise ValidationFailed(gettext("The contribution is not complete yet."), code="incomplete", fields=errors)
        now = timezone.now()
        c.tools, c.generative_tools_used, c.attested = cleaned_tools, generative_tools_used, True
        c.chain_sha256 = drafts[-1].chain_sha256 if drafts else ""
        c.content_sha256 = rules.canonical_sha256(
            {
                "intent": c.intent,
                "notes": c.notes,
                "answers": c.answers,
                "drafts": [d.chain_sha256 for d in drafts],
                "tools": cleaned_tools,
                "generative_tools_used": generative_tools_used,
            }
        )
        c.state, c.submitted_at = ContributionState.SUBMITTED, now
        c.gold_score = quality_rules.gold_check(spec, gold.answers, c.answers).score if gold else None
        _touch(c, now)
        if c.slot is not None:
            Slot.objects.filter(pk=c.slot.pk).update(state=SlotState.SUBMITTED, lease_expires_at=None, updated_at=now)
        c.save()
        audit_record(actor=actor, action="contribution.submitted", target=c, data={"content_sha256": c.content_sha256})
        webhook_emit("contribution.submitted", contribution_event(c), c.project.organization_id)
    return c


def contributions_release_of(*, freelancer: User) -> int:
    """Give back every task `freelancer` holds, as an expired lease does (their account is closing). Returns how
    many; each is audited like an expiry."""
    held = list(
        Contribution.objects.select_for_update(of=("self",))
        .select_related("slot")
        .filter(freelancer=freelancer, state__in=[ContributionState.IN_PROGRESS, ContributionState.REVISION])
        .order_by("pk")
    )
    for c in held:
        _release(c, ContributionState.EXPIRED)
        audit_record(actor=None, action="contribution.lease_expired", target=c, data={"reason": "deactivated"})
    return len(held)
