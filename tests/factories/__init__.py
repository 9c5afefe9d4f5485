from __future__ import annotations

from typing import Any

import factory

from annotations.models import Item, MediaFile, Organization, Project, User

PASSWORD = "correct horse battery"


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.Sequence(lambda n: f"studio-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = "freelancer"
    organization = None

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """allauth lets a person log in once their address is verified: factory people have verified theirs
        (`verified_email=False` makes one who has not)."""
        if create and self.email and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email.lower(), verified=True, primary=True)

    @factory.post_generation
    def onboarded(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """Factory freelancers have a profile that completed onboarding, so the marketplace is open to them (its
        fields stay empty: qualifications are each test's business). `onboarded=False` makes one as sign-up does:
        an empty profile that has not (annotations/selectors/accounts.py holds the rule)."""
        if create and self.role == "freelancer":
            from django.utils import timezone

            from annotations.models import FreelancerProfile

            FreelancerProfile.objects.create(user=self, onboarded_at=None if extracted is False else timezone.now())
            self._state.fields_cache.pop("freelancer_profile", None)  # later reads see later writes, as before


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    brief = "Draw **something**."
    status = "draft"
    modalities = factory.LazyFunction(lambda: ["image"])
    pay_amount_minor = 600
    pay_currency = "USD"
    estimated_minutes = 15
    created_by = factory.LazyAttribute(lambda p: UserFactory(role="admin", organization=p.organization))


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    project = factory.SubFactory(ProjectFactory)
    external_id = factory.Sequence(lambda n: f"item-{n}")


class MediaFileFactory(factory.django.DjangoModelFactory[MediaFile]):
    class Meta:
        model = MediaFile

    item = factory.SubFactory(ItemFactory)
    project = factory.LazyAttribute(lambda m: m.item.project)
    name = "frame.png"
    storage_key = factory.Sequence(lambda n: f"test/{n}/frame.png")
    kind = "image"
    content_type = "image/png"
    size_bytes = 1234
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "ready"


def published_project(
    *, items: int = 3, replicas: int = 1, organization: Organization | None = None, **fields: Any
) -> Project:
    """A published project whose items each hold a ready image and text, with tasks and slots generated."""
    from annotations.domain.output_spec import default_spec
    from annotations.services.tasks import tasks_generate

    extra: dict[str, Any] = {"output_spec": default_spec().to_data(), **fields}
    if organization is not None:
        extra["organization"] = organization
    project: Project = ProjectFactory(status="published", replicas_per_item=replicas, **extra)
    for n in range(items):
        item = ItemFactory(project=project, external_id=f"item-{n + 1:03d}")
        MediaFileFactory(item=item, name="frame.png", probe={"width": 640, "height": 400})
        MediaFileFactory(
            item=item, name="reference.txt", kind="text", content_type="text/plain", storage_key=f"t/{item.pk}.txt"
        )
    tasks_generate(project=project)
    return project


def with_totp(user: User) -> str:
    """Give `user` an active authenticator app (allauth TOTP); returns its base32 secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
