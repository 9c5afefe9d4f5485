"""Verify a downloaded dataset version offline: every record's signed manifest, hash chain and media, and the
Content Credentials (C2PA) embedded in the credentialed copies of file drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.domain.provenance import verify_version
from annotations.providers.c2pa import version_reader


class Command(BaseCommand):
    help = (
        "Verify a downloaded dataset version folder (keys.json beside jsonl/ and webdataset/ shards) without the "
        "platform: names every record whose signature, hash chain, media or embedded C2PA manifest does not hold; "
        "exit 1 if any."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--skip-c2pa", action="store_true", help="Do not read the C2PA manifests of the credentialed copies."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not (folder / "keys.json").is_file():
            raise CommandError(f"{folder} has no keys.json: download the whole version folder.")
        failures = verify_version(folder, None if options["skip_c2pa"] else version_reader(folder))
        for record, problems in sorted(failures.items()):
            self.stdout.write(f"{record}: {'; '.join(problems)}")
        if failures:
            raise CommandError(f"{len(failures)} record(s) failed verification.")
        self.stdout.write(self.style.SUCCESS("Every record verified."))
