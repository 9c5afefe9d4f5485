"""The demo world that `manage.py seed_demo` makes: one organisation, three logins, projects with media."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core import signing
from django.db import transaction
from django.utils import timezone

from annotations.domain import samples
from annotations.domain.datasets import clean_filters
from annotations.domain.output_spec import default_spec
from annotations.models import (
    Contribution,
    Dataset,
    FreelancerProfile,
    GoldItem,
    Item,
    MediaFile,
    MediaKind,
    MediaStatus,
    Organization,
    Project,
    ProjectStatus,
    Role,
    User,
)
from annotations.providers.storage import object_storage
from annotations.services.ingestion import media_file_ingest
from annotations.services.tasks import tasks_generate

DEMO_PASSWORD = "atelier-demo"
DEMO_INVITEE = "noor@example.com"
DEMO_EXAM = "Foley listening"


@dataclass(frozen=True, slots=True)
class _DemoProject:
    title: str
    status: str
    modalities: list[str]
    pay_minor: int
    minutes: int
    brief: str
    extra_fields: tuple[dict[str, object], ...] = ()
    gold_rate: int = 0
    replicas: int = 1


_PROJECTS = [
    _DemoProject(
        title="Storyboard thumbnails for a short film",
        status=ProjectStatus.PUBLISHED,
        modalities=["image", "text"],
        pay_minor=600,
        minutes=15,
        brief=(
            "## What we need\n\nSketch **three thumbnail frames** that tell the scene in the reference text.\n\n"
            "- Say what you meant each frame to show (your *intent*).\n"
            "- Keep every draft; note what you changed and what did not work.\n"
        ),
    ),
    _DemoProject(
        title="Foley notes: how would you re-record these sounds?",
        status=ProjectStatus.PUBLISHED,
        modalities=["audio", "video"],
        pay_minor=450,
        minutes=12,
        brief="Watch each clip with its sound and describe, step by step, how you would perform the sound again "
        "with props.",
        extra_fields=(
            {
                "key": "approach",
                "type": "choice",
                "label": "Approach",
                "required": True,
                "options": ["props on a foley stage", "field recording", "synthesis"],
            },
            {"key": "difficulty", "type": "rating", "label": "Difficulty", "required": True, "min": 1, "max": 5},
        ),
        gold_rate=10,
        replicas=3,
    ),
    _DemoProject(
        title="Motion takes: how would you perform this movement differently?",
        status=ProjectStatus.PUBLISHED,
        modalities=["video", "audio", "motion"],
        pay_minor=500,
        minutes=15,
        brief=(
            "Each item is one take: the **video**, its **sound** and the **motion capture** that shaped them, on one "
            "timeline. Play them together, mark the moments that matter, anchor notes to the joints that carry the "
            "movement, and describe how *you* would perform it differently: timing, weight, intent."
        ),
        extra_fields=(
            {
                "key": "variation",
                "type": "text",
                "label": "How would you perform it differently?",
                "required": True,
                "min_length": 40,
                "max_length": 4000,
            },
            {"key": "on_take", "type": "anchors", "label": "Notes on the take", "required": True, "modality": "motion"},
        ),
    ),
    _DemoProject(
        title="Rewrite the opening line",
        status=ProjectStatus.DRAFT,
        modalities=["text"],
        pay_minor=900,
        minutes=30,
        brief="Rewrite the opening line three ways. Explain what each version tries and why you kept one.",
    ),
    _DemoProject(
        title="Colour-grade notes (pay under review)",
        status=ProjectStatus.DRAFT,
        modalities=["image"],
        pay_minor=200,
        minutes=20,
        brief="Describe the grade you would apply. This draft pays under the platform minimum and cannot publish.",
    ),
]


def _user(username: str, role: str, org: Organization | None, display_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, organization=org, display_name=display_name)
        user.email = f"{username}@demo.atelier.test"
        user.set_password(DEMO_PASSWORD)
        user.save()
    # allauth asks for a verified address before a login: the demo people have theirs.
    EmailAddress.objects.get_or_create(
        user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
    )
    return user


def _add_file(item: Item, name: str, kind: str, content_type: str, data: bytes, offset: float = 0.0) -> None:
    key = f"demo/{item.project_id}/{item.external_id}/{name}"
    if MediaFile.objects.filter(storage_key=key).exists():
        return
    object_storage().put(key, data, content_type)
    MediaFile.objects.create(
        item=item,
        project_id=item.project_id,
        name=name,
        storage_key=key,
        kind=kind,
        content_type=content_type,
        claimed_content_type=content_type,
        size_bytes=len(data),
        status=MediaStatus.PENDING,
        offset_seconds=offset,
    )


def _fill(project: Project, index: int) -> None:
    for n in range(4 if index < 2 else 2):
        item, _ = Item.objects.get_or_create(project=project, external_id=f"item-{n + 1:03d}")
        if "motion" in project.modalities:
            # The camera and the microphone start together; the capture a moment later, so the take sits on the
            # item's clock at that offset.
            seconds, lag = 4.0 + n, round(0.25 + 0.1 * n, 3)
            _add_file(item, "take.mp4", MediaKind.VIDEO, "video/mp4", samples.motion_video(seconds, lag))
            _add_file(item, "take.wav", MediaKind.AUDIO, "audio/wav", samples.motion_sound(seconds, lag))
            bvh = samples.motion_take_bvh(seconds - lag)
            _add_file(item, "take.bvh", MediaKind.MOTION, "application/x-bvh", bvh, offset=lag)
            continue
        if "image" in project.modalities:
            _add_file(item, "frame.png", MediaKind.IMAGE, "image/png", samples.drawn_image(seed=index * 100 + n))
        if "audio" in project.modalities:
            notes = [220.0 * (1 + n / 4), 330.0, 262.0 + 30 * n]
            _add_file(item, "clip.wav", MediaKind.AUDIO, "audio/wav", samples.tone_wav(notes, seconds=1.5))
        if "video" in project.modalities:
            _add_file(item, "clip.mp4", MediaKind.VIDEO, "video/mp4", samples.short_video(seed=index * 100 + n))
        if "text" in project.modalities:
            text = f"Scene {n + 1}. {samples.OPENING_LINES[n % len(samples.OPENING_LINES)]}\n"
            _add_file(item, "reference.txt", MediaKind.TEXT, "text/plain", text.encode())


def _spec(project: _DemoProject) -> dict[str, object]:
    data = default_spec().to_data()
    return {**data, "fields": [*data["fields"], *project.extra_fields]}


# Three more freelancers whose work on the Foley project is already approved, so that agreement, earnings,
# datasets and their provenance have something to show on a fresh demo.
_PEERS = [
    ("maya", "Maya Okafor", [("props on a foley stage", 2), ("field recording", 4)]),
    ("ola", "Ola Berg", [("props on a foley stage", 2), ("field recording", 4)]),
    ("tomas", "Tomás Vidal", [("props on a foley stage", 3), ("props on a foley stage", 4)]),
]


def _approved_work(org: Organization) -> None:
    from annotations.services.review import review_decide
    from annotations.services.work import (
        DRAFT_UPLOAD_SALT,
        DraftInput,
        WorkState,
        contribution_claim_next,
        contribution_save,
        contribution_submit,
        draft_create,
        draft_upload_request,
    )

    project = Project.objects.filter(organization=org, title__startswith="Foley notes").first()
    reviewer = User.objects.filter(username="reviewer").first()
    if project is None or reviewer is None or Contribution.objects.filter(project=project).exists():
        return
    for n, (username, name, answers) in enumerate(_PEERS):
        peer = _user(username, Role.FREELANCER, None, name)
        FreelancerProfile.objects.get_or_create(
            user=peer, defaults={"skills": ["sound design"], "onboarded_at": timezone.now()}
        )
        for round_ in range(2):
            c = contribution_claim_next(actor=peer, project=project)
            item = c.task.item.external_id
            saved = contribution_save(
                actor=peer,
                contribution_id=c.pk,
                base_version=c.version,
                state=WorkState(
                    f"Rebuild the sounds of {item} so a listener believes them without the picture.",
                    [{"id": f"{username}-{round_}", "body": "Started from the loudest event and worked outwards."}],
                    {"approach": answers[round_][0], "difficulty": answers[round_][1]},
                ),
            )
            for seq, text in enumerate(
                [f"{item}: footsteps on gravel, cloth rustle, door.", f"{item}: gravel in a tray, leather jacket."]
            ):
                draft_create(
                    actor=peer,
                    contribution_id=c.pk,
                    draft=DraftInput(
                        client_key=f"demo-{username}-{round_}-{seq}",
                        change_note="First list of sounds" if seq == 0 else "Named the props for each sound",
                        what_failed="" if seq == 0 else "Sand in the tray was too soft for gravel",
                        text=text,
                        source_type="digitalCreation" if seq == 0 else "humanEdits",
                    ),
                )
            if round_ == 0:  # a recorded test take, which gets Content Credentials once approved
                take = samples.tone_wav([180.0 + 40 * n, 95.0], seconds=1.0)
                ticket = draft_upload_request(
                    actor=peer,
                    contribution_id=c.pk,
                    name="test-take.wav",
                    size_bytes=len(take),
                    content_type="audio/wav",
                )
                object_storage().put(signing.loads(ticket.token, salt=DRAFT_UPLOAD_SALT)["k"], take, "audio/wav")
                draft_create(
                    actor=peer,
                    contribution_id=c.pk,
                    draft=DraftInput(
                        client_key=f"demo-{username}-{round_}-take",
                        change_note="Recorded a test take of the gravel steps",
                        what_failed="The tray rang; a towel under it fixed that",
                        upload_token=ticket.token,
                        source_type="digitalCapture",
                    ),
                )
            Contribution.objects.filter(pk=c.pk).update(active_seconds=540 + 60 * n)
            contribution_submit(
                actor=peer,
                contribution_id=c.pk,
                base_version=saved.version,
                tools=["notebook"],
                generative_tools_used=False,
                attested=True,
            )
            review_decide(
                actor=reviewer, contribution_id=c.pk, decision="approve", scores={"idea": 4, "process": 3 + n % 3}
            )
    admin = User.objects.get(username="admin")
    dataset, made = Dataset.objects.get_or_create(
        organization=org,
        name="Foley process notes",
        defaults={
            "description": "How creatives would re-record each clip, with every draft of their plan.",
            "filters": clean_filters({}),
            "formats": ["jsonl", "webdataset", "hf"],
            "shard_size": 100,
            "compression": "gzip",
            "created_by": admin,
        },
    )
    if made:
        dataset.projects.set([project])


def _people_side(org: Organization) -> None:
    """A pending invitation, and a qualification exam the Foley project requires, passed by the demo freelancers
    through the same services a person uses (so the result is in their bell and their mail)."""
    from annotations.models import Invitation, QualificationExam
    from annotations.services.exams import (
        ExamFields,
        exam_attempt_start,
        exam_attempt_submit,
        exam_create,
        project_require_exam,
    )
    from annotations.services.invitations import invitation_create

    admin = User.objects.get(username="admin")
    if not Invitation.objects.filter(organization=org, email=DEMO_INVITEE).exists():
        invitation_create(actor=admin, email=DEMO_INVITEE, role="reviewer")
    project = Project.objects.filter(organization=org, title__startswith="Foley notes").first()
    gold = GoldItem.objects.filter(project=project).order_by("pk").first()
    if project is None or gold is None:
        return
    exam = QualificationExam.objects.filter(organization=org, title=DEMO_EXAM).first()
    if exam is None:
        exam = exam_create(
            actor=admin,
            fields=ExamFields(
                title=DEMO_EXAM,
                instructions="Listen to the clip and choose how you would re-record it, as on the project.",
                item_ids=[gold.item_id],
            ),
        )
    project_require_exam(actor=admin, project=project, exam_id=exam.pk)
    for username in ["freelancer", *(peer[0] for peer in _PEERS)]:
        person = User.objects.get(username=username)
        if exam.attempts.filter(freelancer=person, passed=True).exists():
            continue
        attempt, _ = exam_attempt_start(actor=person, exam_id=exam.pk)
        exam_attempt_submit(actor=person, attempt_id=attempt.pk, answers={str(gold.item_id): dict(gold.answers)})


def seed_demo() -> dict[str, int]:
    """Make the demo world; running it again adds nothing that is already there."""
    with transaction.atomic():
        org, _ = Organization.objects.get_or_create(slug="demo-studio", defaults={"name": "Demo Studio"})
        admin = _user("admin", Role.ADMIN, org, "Ada Admin")
        if not admin.is_staff:  # the demo admin also operates the platform: payouts are visible to her
            admin.is_staff = True
            admin.save(update_fields=["is_staff"])
        _user("reviewer", Role.REVIEWER, org, "Rui Reviewer")
        freelancer = _user("freelancer", Role.FREELANCER, None, "Fay Freelancer")
        FreelancerProfile.objects.get_or_create(
            user=freelancer,
            defaults={
                "skills": ["illustration", "sound design", "writing"],
                "modalities": ["image", "audio", "text"],
                "country": "PT",
                "languages": ["en", "pt"],
                "time_zone": "Europe/Lisbon",
                "payout_currency": "EUR",
                "onboarded_at": timezone.now(),
            },
        )
        for index, spec in enumerate(_PROJECTS):
            project = Project.objects.filter(organization=org, title=spec.title).first()
            if project is None:
                project = Project.objects.create(
                    organization=org,
                    title=spec.title,
                    brief=spec.brief,
                    status=spec.status,
                    modalities=spec.modalities,
                    pay_amount_minor=spec.pay_minor,
                    pay_currency="USD",
                    estimated_minutes=spec.minutes,
                    output_spec=_spec(spec),
                    gold_rate=spec.gold_rate,
                    replicas_per_item=spec.replicas,
                    rubric=[
                        {"key": "idea", "label": "Strength of the idea", "max": 5},
                        {"key": "process", "label": "Process recorded", "max": 5},
                    ],
                    created_by=admin,
                )
            _fill(project, index)
            first = project.items.order_by("id").first()
            if spec.gold_rate and first is not None and not GoldItem.objects.filter(project=project).exists():
                GoldItem.objects.create(
                    project=project,
                    item=first,
                    answers={"approach": "props on a foley stage", "difficulty": 2},
                    created_by=admin,
                )
    # The demo's media go through the same ingestion as any upload: probed, previewed, hashed.
    for media_id in MediaFile.objects.filter(project__organization=org, status=MediaStatus.PENDING).values_list(
        "pk", flat=True
    ):
        media_file_ingest(media_file_id=media_id, final_attempt=True)
    for project in Project.objects.filter(organization=org, status=ProjectStatus.PUBLISHED):
        tasks_generate(project=project)
    _approved_work(org)
    _people_side(org)
    return {
        "users": User.objects.filter(username__in=["admin", "reviewer", "freelancer"]).count(),
        "projects": Project.objects.filter(organization=org).count(),
        "items": Item.objects.filter(project__organization=org).count(),
        "files": MediaFile.objects.filter(item__project__organization=org).count(),
    }
