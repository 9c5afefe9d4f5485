"""A receiver of the `dataset_version.built` webhook can check the manifest it downloads: the event's
`manifest_sha256` is the sha256 of the very bytes stored as manifest.json."""

from __future__ import annotations

import hashlib

import pytest

from annotations.models import WebhookDelivery
from annotations.providers.storage import object_storage
from annotations.selectors.datasets import version_prefix
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.webhooks import endpoint_create
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import published_project

pytestmark = pytest.mark.django_db


def test_the_webhook_manifest_hash_is_the_hash_of_the_stored_manifest(admin, reviewer, org, settings) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    hook = endpoint_create(actor=admin, url="http://127.0.0.1:9/a", events=["dataset_version.built"])
    project = with_media_bytes(published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC))
    approved_work(project, reviewer, 1)
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="D", project_ids=[project.pk]))
    version = build_here(version_build(actor=admin, dataset=dataset))
    stored = b"".join(object_storage().chunks(version_prefix(version) + "manifest.json"))
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.payload["data"]["manifest_sha256"] == hashlib.sha256(stored).hexdigest()
