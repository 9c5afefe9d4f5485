"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT, need, start_worker, worker_database_url

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL for the 3D viewers without a GPU: ANGLE on SwiftShader, the software renderer Chromium ships.
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go: SCREENSHOT_DIR, or test-artifacts/screenshots in the checkout."""
    path = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        need("Chromium", "install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, built_frontend: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page: Any, username: str, password: str = "atelier-demo") -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def open_task(page: Any, project: str, username: str = "freelancer") -> int:
    """Log in, start (or continue) a task of `project` from the task list; the contribution's id."""
    login(page, username)
    page.wait_for_url(re.compile(r"/tasks$"))
    card = page.locator("article.task-card", has_text=project)
    card.get_by_role("button", name=re.compile("^(Start next task|Continue)")).click()
    page.wait_for_url(re.compile(r"/work/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def open_image_task(page: Any) -> tuple[int, Callable[[float, float], tuple[float, float]]]:
    """Open a storyboard task with its image ready to draw on: the contribution's id, and `at(fx, fy)`, the point on
    the screen at that fraction of the image's width and height."""
    cid = open_task(page, "Storyboard thumbnails for a short film")
    page.locator("[data-testid=image-host][data-ready=true]").wait_for()

    def at(fx: float, fy: float) -> tuple[float, float]:
        box = page.get_by_test_id("image-stage").bounding_box()
        return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy

    return cid, at


@pytest.fixture
def worker_for_live_server(settings: Any, transactional_db: None) -> Iterator[None]:
    """With a broker configured, tasks the live server sends need a real worker on the same database and media.

    In the embedded mode (no REDIS_URL) tasks run in-process and no worker is needed.
    """
    if not settings.REDIS_URL:
        if IN_CI:
            pytest.fail("CI runs the browser tests against Redis and a real worker")
        yield
        return
    proc = start_worker(
        {
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SECRET_KEY": settings.SECRET_KEY,
            "ATELIER_DATA_DIR": str(settings.DATA_DIR),
        }
    )
    try:
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- Accessibility: axe-core in the page ------------------------------------------------------------------------
# What @axe-core/playwright does for JavaScript tests: inject axe-core's own script into the page and run it there.
# Our browser tests are Python, so they inject the same axe-core, the version pinned in frontend/package.json. Like
# @axe-core/playwright it is evaluated in the page rather than added as a <script> tag: the console's Content
# Security Policy (script-src 'self') refuses an inline script tag, and the pages are checked with their CSP on.
AXE_SCRIPT = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now: its WCAG A/AA violations (axe's own result objects)."""
    if not AXE_SCRIPT.exists():
        need("axe-core", "run `make install` (axe-core is a dev dependency of the front end)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]], targets: int = 3) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:targets]:
            html = re.sub(r"\s+", " ", node.get("html", ""))[:160]
            lines.append(f"    {' > '.join(map(str, node['target']))}: {html}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:240]
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Any, name: str) -> None:
    """Fail when axe-core finds any WCAG 2.x A/AA violation on the page, listing each one and its first elements."""
    violations = axe_violations(page)
    found = describe_violations(violations)
    assert not violations, f"{name}: {len(violations)} accessibility violation(s) at {page.url}\n{found}"
