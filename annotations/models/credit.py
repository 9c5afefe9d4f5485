"""Contributor credit: opting in to be named in a dataset's card, per dataset."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotations.models.datasets import Dataset


class CreditOptIn(models.Model):
    """A freelancer asks to be credited by `credit_name` in the data cards of later versions of one dataset."""

    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credits")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="credits")
    credit_name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset_id", "credit_name"]
        constraints = [models.UniqueConstraint(fields=["freelancer", "dataset"], name="credit_once_per_dataset")]

    def __str__(self) -> str:
        return f"{self.credit_name} in {self.dataset_id}"
