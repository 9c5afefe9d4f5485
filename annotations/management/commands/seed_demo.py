from typing import Any

from django.core.management.base import BaseCommand

from annotations.services.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Make the demo organisation, the admin/reviewer/freelancer logins and projects with generated media."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {counts['projects']} projects, {counts['items']} items, {counts['files']} files. "
                f"Logins: admin, reviewer, freelancer; maya, ola, tomas have approved work (password {DEMO_PASSWORD})."
            )
        )
