"""Compare the payout provider's records with the payouts and the ledger; print every difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from annotations.services.payouts import reconcile


class Command(BaseCommand):
    help = "Compare the payout provider's records with the payouts and the ledger; exit 1 on any difference."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = reconcile()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} difference(s) between the provider, the payouts and the ledger.")
        self.stdout.write(self.style.SUCCESS("Provider, payouts and ledger agree."))
