"""`manage.py seed_demo`: demo logins and projects with media generated on the spot, stored where settings say."""

from __future__ import annotations

import hashlib
import io
import wave

import pytest
from django.core.management import call_command
from PIL import Image

from annotations.models import Draft, Item, MediaFile, Project, Task, User
from annotations.providers.storage import object_storage
from annotations.services.demo import DEMO_PASSWORD, seed_demo
from tests.smtp import text_of

pytestmark = pytest.mark.django_db


def check_world() -> None:
    roles = dict(User.objects.filter(username__in=["admin", "reviewer", "freelancer"]).values_list("username", "role"))
    assert roles == {"admin": "admin", "reviewer": "reviewer", "freelancer": "freelancer"}
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="freelancer").freelancer_profile.payout_currency == "EUR"
    assert Project.objects.filter(status="published").count() == 3
    kinds = set(MediaFile.objects.values_list("kind", flat=True))
    assert kinds == {"image", "audio", "video", "text", "motion"}
    assert set(MediaFile.objects.values_list("status", flat=True)) == {"ready"}
    # The motion bundle: the take sits on the item's clock where the capture started, after camera and microphone.
    takes = MediaFile.objects.filter(project__title__startswith="Motion takes").order_by("item_id", "name")
    assert [(m.name, m.offset_seconds) for m in takes[:3]] == [("take.bvh", 0.25), ("take.mp4", 0.0), ("take.wav", 0.0)]
    bvh = takes[0]
    assert bvh.probe["joints"][:2] == ["Hips", "Spine"] and bvh.probe["frames"] == 112
    assert round(bvh.probe["frame_rate"]) == 30
    assert Task.objects.count() == 10
    for media in MediaFile.objects.all():
        data = b"".join(object_storage().chunks(media.storage_key))
        if media.kind in ("image", "video", "audio"):
            assert media.preview_key and b"".join(object_storage().chunks(media.preview_key))
        assert len(data) == media.size_bytes
        assert hashlib.sha256(data).hexdigest() == media.sha256
        if media.kind == "image":
            assert Image.open(io.BytesIO(data)).size == (640, 400)
        if media.kind == "video":
            assert data[4:8] == b"ftyp"
        if media.name == "clip.wav":
            with wave.open(io.BytesIO(data)) as w:
                assert w.getnframes() / w.getframerate() == pytest.approx(1.5, abs=0.01)


def test_seed_makes_the_demo_and_is_idempotent(capsys) -> None:
    call_command("seed_demo")
    assert "Logins: admin, reviewer, freelancer" in capsys.readouterr().out
    counts = (Project.objects.count(), Item.objects.count(), MediaFile.objects.count())
    assert counts == (5, 14, 26)
    call_command("seed_demo")
    assert (Project.objects.count(), Item.objects.count(), MediaFile.objects.count()) == counts
    check_world()


def test_seed_stores_media_in_s3(s3_storage: str, s3_server) -> None:
    seed_demo()
    check_world()
    keys = {o["Key"] for o in s3_server.client.list_objects_v2(Bucket=s3_storage)["Contents"]}
    originals = set(MediaFile.objects.values_list("storage_key", flat=True))
    previews = set(MediaFile.objects.exclude(preview_key="").values_list("preview_key", flat=True))
    takes = set(Draft.objects.filter(kind="file").values_list("storage_key", flat=True))
    assert len(takes) == 3  # each demo freelancer's recorded test take
    staged = {k for k in keys if k.startswith("drafts/") and "/uploads/" in k}  # where the browser posted them
    assert keys == originals | previews | takes | staged and len(staged) == 3


@pytest.mark.django_db(transaction=True)  # the mail leaves after commit, as it does when the demo is seeded
def test_seed_shows_the_people_side(mailbox) -> None:
    from annotations.models import ExamAttempt, Invitation, Notification, QualificationExam
    from annotations.services.demo import DEMO_EXAM, DEMO_INVITEE

    seed_demo()
    invitation = Invitation.objects.get(email=DEMO_INVITEE)
    assert invitation.role == "reviewer" and invitation.accepted_at is None and invitation.revoked_at is None
    [mail] = mailbox.wait_for(DEMO_INVITEE)
    assert "/invite/" in text_of(mail)
    exam = QualificationExam.objects.get(title=DEMO_EXAM)
    assert Project.objects.get(title__startswith="Foley notes").required_exam == exam
    passed = set(ExamAttempt.objects.filter(exam=exam, passed=True).values_list("freelancer__username", flat=True))
    assert passed == {"freelancer", "maya", "ola", "tomas"}
    fay = User.objects.get(username="freelancer")
    assert Notification.objects.filter(recipient=fay, kind="qualification_result").count() == 1
    mailbox.wait_for(fay.email, subject=DEMO_EXAM)
    sent = len(mailbox.messages)

    seed_demo()  # again: nothing new is made and nobody is mailed twice
    assert Invitation.objects.count() == 1 and ExamAttempt.objects.filter(exam=exam).count() == 4
    assert len(mailbox.messages) == sent
