"""The project folder is called platform/, but `platform` must stay the standard library's module."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_platform_folder_is_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert (ROOT / "platform" / "atelier" / "settings.py").is_file()


def test_platform_is_the_standard_library_under_our_settings() -> None:
    code = (
        "import django, platform; django.setup(); import atelier.settings, sysconfig, pathlib;"
        "print(pathlib.Path(platform.__file__).parent == pathlib.Path(sysconfig.get_paths()['stdlib']));"
        "print(platform.system())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "atelier.settings",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    same_dir, system = out.stdout.split()
    assert same_dir == "True"
    assert system == "Linux"


def test_in_this_process_too() -> None:
    import platform

    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert platform.system() in {"Linux", "Darwin", "Windows"}
    assert "atelier" in sys.modules
