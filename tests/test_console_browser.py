"""The console in a real browser: Debian's Chromium (/usr/bin/chromium, `make chromium`)
driven by Playwright, never a browser Playwright downloads. Each test signs in through
the login form, as a person would; every page it opens must log no console error and
no failed request. Screenshots of each page are refreshed into docs/screenshots/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.console_env import PLATFORM_ADMIN, TENANT_ADMIN, ConsoleEnv, console_env

pytestmark = pytest.mark.neo4j

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def env(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleEnv]:
    with console_env(graph, neo4j_settings, tmp_path_factory.mktemp("console-browser")) as env:
        yield env


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


class Watched:
    """A page that remembers every console error and failed request."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        page.on(
            "response",
            lambda r: (
                self.problems.append(f"{r.status}: {r.url}")
                if r.status >= 400 and r.url != self.expected_error
                else None
            ),
        )
        self.expected_error: str | None = None

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")

    def open_refused(self, url: str) -> int:
        """Open a page that must answer with an error status: the browser's own report of
        that status is expected, anything else is still a problem."""
        before = len(self.problems)
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None
        status = response.status
        expected = [
            f"{status}: {url}",
            f"console: Failed to load resource: the server responded with a status of {status} "
            f"({response.status_text})",
        ]
        assert sorted(self.problems[before:]) == sorted(expected)
        del self.problems[before:]
        return status

    def shoot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


def signed_in(browser: Browser, env: ConsoleEnv, key: str) -> Watched:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    watched = Watched(context.new_page())
    watched.open(f"{env.url}/console")
    assert watched.page.url.startswith(f"{env.url}/console/login")
    watched.page.fill("input[name=key]", key)
    watched.page.click("button[type=submit]")
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.url == f"{env.url}/console"
    return watched


def test_when_each_page_opens_then_it_logs_no_console_error(
    browser: Browser, env: ConsoleEnv
) -> None:
    login = Watched(browser.new_page(viewport=VIEWPORT))  # type: ignore[arg-type]
    login.open(f"{env.url}/console/login")
    login.shoot("login")
    assert login.problems == []

    admin = signed_in(browser, env, PLATFORM_ADMIN)
    decision = env.decisions["support_eu"]["id"]
    pages = {
        "overview": "/console",
        "heatmap": "/console/heatmap",
        "decisions": "/console/decisions",
        "decision": f"/console/decisions/{decision}",
        "policies": "/console/policies",
        "diff": "/console/policies/diff?a=1&b=1",
    }
    for name, path in pages.items():
        admin.open(f"{env.url}{path}")
        assert admin.page.locator("h1").count() == 1, name
        admin.shoot(name)
    assert admin.problems == []


def test_when_overview_opens_then_every_panel_is_drawn_on_one_time_axis(
    browser: Browser, env: ConsoleEnv
) -> None:
    admin = signed_in(browser, env, PLATFORM_ADMIN)

    charts = admin.page.locator(".chart .uplot")

    assert charts.count() == 5  # outcomes, threats, redactions, latency, upstream
    assert admin.page.locator(".chart canvas").count() >= 5
    assert admin.problems == []


def test_when_a_heatmap_cell_is_clicked_then_the_filtered_list_holds_its_count(
    browser: Browser, env: ConsoleEnv
) -> None:
    admin = signed_in(browser, env, PLATFORM_ADMIN)
    admin.open(f"{env.url}/console/heatmap")
    cell = admin.page.locator("#by-policy td a").first
    count = int(cell.inner_text())
    policy = (
        admin.page.locator("#by-policy thead th.col")
        .nth(int(cell.evaluate("a => a.parentElement.cellIndex")) - 1)
        .inner_text()
    )

    cell.click()
    admin.page.wait_for_load_state("networkidle")

    assert admin.page.url.startswith(f"{env.url}/console/decisions?")
    assert f"policy={policy}" in admin.page.url
    assert admin.page.locator("#decision-list tbody tr").count() == count
    assert admin.page.locator("input[name=policy]").input_value() == policy
    assert admin.problems == []


def test_when_decision_page_opens_then_its_reason_paths_are_drawn(
    browser: Browser, env: ConsoleEnv
) -> None:
    decision = env.decisions["support_eu"]
    admin = signed_in(browser, env, PLATFORM_ADMIN)

    admin.open(f"{env.url}/console/decisions/{decision['id']}")

    card = next(r for r in decision["reasons"] if r["policy_id"] == "mask-card-numbers")
    figure = admin.page.locator("section.reason", has_text="mask-card-numbers").locator("svg")
    drawn = figure.locator("g.node").evaluate_all("nodes => nodes.map(n => n.dataset.node)")
    assert drawn == card["path"][0::2]
    assert figure.locator("text.rel").all_text_contents() == card["path"][1::2]
    assert admin.page.locator("#policy-version").inner_text() == decision["policy_version"]
    link = admin.page.locator("a.browser").first.get_attribute("href") or ""
    assert "/browser/?cmd=edit&arg=" in link
    assert admin.problems == []


def test_when_tenant_admin_browses_then_no_other_tenant_shows_or_opens(
    browser: Browser, env: ConsoleEnv
) -> None:
    auditor = signed_in(browser, env, TENANT_ADMIN)
    theirs = env.decisions["support_us"]["id"]

    auditor.open(f"{env.url}/console/decisions")
    listed = auditor.page.locator("#decision-list tbody tr").all_inner_texts()
    assert listed
    assert all("nw-eu" in row for row in listed)
    assert theirs not in auditor.page.content()

    assert auditor.open_refused(f"{env.url}/console/decisions/{theirs}") == 404
    assert f"no decision {theirs} visible to this key" in auditor.page.inner_text("main")
    auditor.shoot("tenant-admin-404")

    auditor.open(f"{env.url}/console/heatmap")
    assert "nw-us" not in auditor.page.inner_text("#by-policy")
    assert auditor.problems == []
