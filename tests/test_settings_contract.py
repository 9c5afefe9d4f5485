"""settings.py, .env.example, docker-compose.yml and the Dockerfile agree (Docker cannot run on these machines)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("migrate", "web", "worker", "beat")


def settings_variables() -> set[str]:
    source = (ROOT / "platform" / "atelier" / "settings.py").read_text()
    return set(re.findall(r"env\.(?:str|bool|int|float|list|dict|db|path)\(\s*\"([A-Z0-9_]+)\"", source))


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text()))


def test_settings_reads_the_variables_the_docs_promise() -> None:
    found = settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_ENDPOINT_URL", "SECRET_KEY", "DEBUG"} <= found
    assert "PLATFORM_MIN_HOURLY_RATES" in found


def test_env_example_lists_every_variable_and_nothing_else() -> None:
    assert set(env_example()) == settings_variables()


def test_compose_has_the_full_stack(compose: dict[str, Any]) -> None:
    assert {"web", "worker", "beat", "postgres", "redis", "minio", "minio-init", "migrate"} <= set(compose["services"])


def test_app_services_share_one_image_and_environment(compose: dict[str, Any]) -> None:
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {services[name]["build"] for name in APP_SERVICES}
    assert images == {"atelier:latest"} and builds == {"."}
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(e == environments[0] for e in environments)


def test_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "atelier.wsgi"]
    for name, role in [("worker", "worker"), ("beat", "beat")]:
        assert services[name]["command"][:4] == ["celery", "-A", "atelier", role]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_app_environment_uses_only_known_variables(compose: dict[str, Any]) -> None:
    env = compose["services"]["web"]["environment"]
    assert set(env) <= settings_variables()
    assert set(env) <= set(env_example())


def test_urls_point_at_the_services(compose: dict[str, Any]) -> None:
    env = compose["services"]["web"]["environment"]
    services = compose["services"]
    db = urlparse(env["DATABASE_URL"])
    assert db.scheme == "postgres" and db.hostname == "postgres"
    pg = services["postgres"]["environment"]
    assert (db.username, db.password, db.path.lstrip("/")) == (
        pg["POSTGRES_USER"],
        pg["POSTGRES_PASSWORD"],
        pg["POSTGRES_DB"],
    )
    assert urlparse(env["REDIS_URL"]).hostname == "redis"
    assert urlparse(env["S3_ENDPOINT_URL"]).hostname == "minio"
    minio = services["minio"]["environment"]
    assert (env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"]) == (
        minio["MINIO_ROOT_USER"],
        minio["MINIO_ROOT_PASSWORD"],
    )
    init = " ".join(services["minio-init"]["command"])
    assert f"mc mb --ignore-existing local/{env['S3_BUCKET']}" in init
    assert env["DEBUG"] == "false"


def test_health_checks_and_start_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("postgres", "redis", "minio", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"


def test_dockerfile_puts_platform_on_the_path_and_serves_with_gunicorn() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"PYTHONPATH=/app/platform:/app\b", dockerfile)
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER atelier$", dockerfile, re.M)
    assert 'CMD ["gunicorn", "atelier.wsgi"' in dockerfile


def test_the_password_hint_asks_for_what_the_server_does() -> None:
    """The forms' hint and check (frontend) and Django's MinimumLengthValidator name the same length."""
    from django.conf import settings

    validators = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    [validator] = [v for v in validators if v["NAME"].endswith("MinimumLengthValidator")]
    source = (ROOT / "frontend" / "src" / "features" / "account" / "allauth.ts").read_text()
    [length] = re.findall(r"export const MIN_PASSWORD_LENGTH = (\d+);", source)
    assert int(length) == validator["OPTIONS"]["min_length"]
