"""What a freelancer controls about their credit: a public portfolio link, and being named in data cards."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext

from annotations.domain import probe
from annotations.domain.errors import NotFound, PermissionDenied, ValidationFailed
from annotations.models import CreditOptIn, Dataset, DatasetRecord, Draft, FreelancerProfile, Role, User
from annotations.providers.storage import MissingObject, object_storage
from annotations.services.audit import audit_record


def _freelancer(actor: User) -> None:
    if actor.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have a portfolio."))


def portfolio_publish(*, actor: User, public: bool) -> FreelancerProfile:
    """Make the portfolio public under a fresh unguessable link, or private again (the old link stops working)."""
    _freelancer(actor)
    with transaction.atomic():
        profile, _ = FreelancerProfile.objects.select_for_update().get_or_create(user=actor)
        profile.portfolio_token = secrets.token_urlsafe(18) if public else ""
        profile.save(update_fields=["portfolio_token", "updated_at"])
        audit_record(actor=actor, action="portfolio.public" if public else "portfolio.private", target=actor)
    return profile


def credit_set(*, actor: User, dataset_id: int, name: str | None) -> CreditOptIn | None:
    """Be credited by `name` in the cards of later versions of a dataset that holds your work; None: pseudonymous."""
    _freelancer(actor)
    dataset = Dataset.objects.filter(pk=dataset_id).first()
    if (
        dataset is None
        or not DatasetRecord.objects.filter(version__dataset=dataset, contribution__freelancer=actor).exists()
    ):
        raise NotFound(gettext("No dataset holds your work under that id."))
    with transaction.atomic():
        if name is None:
            CreditOptIn.objects.filter(freelancer=actor, dataset=dataset).delete()
            return None
        clean = " ".join(name.split())
        if not 1 <= len(clean) <= 80:
            raise ValidationFailed(
                gettext("The credit name is 1 to 80 characters."), fields={"name": [gettext("1 to 80 characters.")]}
            )
        credit, _ = CreditOptIn.objects.update_or_create(
            freelancer=actor, dataset=dataset, defaults={"credit_name": clean}
        )
    return credit


def public_image_key(draft: Draft) -> str:
    """The key of an image draft's copy for public pages: re-encoded from its pixels to a bounded WebP, so no EXIF
    or location data of the original leaves with it. Made on first request, then reused (the key is fixed by the
    draft's content hash, so running twice writes the same bytes)."""
    key = f"portfolio/{draft.contribution_id}/draft_{draft.sequence}_{draft.content_sha256[:16]}.webp"
    storage = object_storage()
    try:
        storage.size_of(key)
        return key
    except MissingObject:
        pass
    with tempfile.TemporaryDirectory(prefix="atelier-portfolio-") as tmp:
        original = Path(tmp) / "original"
        with original.open("wb") as out:
            for chunk in storage.chunks(draft.storage_key):
                out.write(chunk)
        try:
            probed = probe.probe_image(original)
        except probe.ProbeError:
            raise NotFound(gettext("This image cannot be shown.")) from None
    if probed.preview is None:
        raise NotFound(gettext("This image cannot be shown."))
    storage.put(key, probed.preview, probed.preview_type)
    return key
