"""The console's pages over plain HTTP (httpx against the served app): who may see
what, the filters, and bad input. The browser tests are tests/test_console_browser.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from api.console.session import COOKIE
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.console_env import (
    ENGINEER,
    PLATFORM_ADMIN,
    TENANT_ADMIN,
    ConsoleEnv,
    console_env,
)

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def env(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleEnv]:
    with console_env(graph, neo4j_settings, tmp_path_factory.mktemp("console-http")) as env:
        yield env


def ids_listed(html: str) -> set[str]:
    return set(re.findall(r'href="/console/decisions/(dec_[0-9a-f]{32})"', html))


# ---------------------------------------------------------------- signing in


def test_when_no_key_or_cookie_then_a_page_redirects_to_the_login_form(env: ConsoleEnv) -> None:
    response = env.get("/console/decisions?outcome=deny", follow_redirects=False)

    assert response.status_code == 303
    assert (
        response.headers["location"]
        == "/console/login?next=" + "/console/decisions%3Foutcome%3Ddeny"
    )


def test_when_login_form_gets_an_admin_key_then_an_httponly_strict_cookie_opens_pages(
    env: ConsoleEnv,
) -> None:
    with httpx.Client(base_url=env.url, follow_redirects=False) as browser:
        response = browser.post(
            "/console/login", data={"key": PLATFORM_ADMIN, "next": "/console/heatmap"}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/heatmap"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        for attribute in ("HttpOnly", "SameSite=strict", "Path=/console"):
            assert attribute in cookie
        assert PLATFORM_ADMIN not in cookie  # sealed, not the key in clear

        page = browser.get("/console/heatmap")
        assert page.status_code == 200
        assert "policy-engineer" in page.text

        browser.post("/console/logout")
        assert browser.get("/console/heatmap").status_code == 303


def test_when_a_cookie_is_tampered_with_then_it_opens_nothing(env: ConsoleEnv) -> None:
    response = httpx.get(
        f"{env.url}/console", cookies={COOKIE: "AAAA" + "x" * 80}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login")


def test_when_login_gets_an_unknown_key_then_the_form_says_so(env: ConsoleEnv) -> None:
    response = httpx.post(f"{env.url}/console/login", data={"key": "gr_demo_nobody_x"})

    assert response.status_code == 401
    assert "unknown or revoked API key" in response.text
    assert "set-cookie" not in response.headers


def test_when_key_has_neither_audit_nor_policy_admin_then_the_console_refuses_it(
    env: ConsoleEnv,
) -> None:
    by_form = httpx.post(f"{env.url}/console/login", data={"key": ENGINEER})
    by_bearer = env.get("/console", ENGINEER)

    assert by_form.status_code == 403
    assert by_bearer.status_code == 403
    assert "eu-engineer has no role with the 'policy_admin', 'audit' or 'review' permission" in (
        unescape(by_bearer.text)
    )


def test_when_a_login_link_names_another_site_then_login_stays_in_the_console(
    env: ConsoleEnv,
) -> None:
    response = httpx.post(
        f"{env.url}/console/login",
        data={"key": PLATFORM_ADMIN, "next": "https://elsewhere.example/"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/console"


# ---------------------------------------------------------------- tenant isolation


def test_when_tenant_admin_lists_decisions_then_only_its_tenant_appears(env: ConsoleEnv) -> None:
    mine = {d["id"] for d in env.decisions.values() if d["tenant_id"] == "nw-eu"}
    theirs = {d["id"] for d in env.decisions.values() if d["tenant_id"] != "nw-eu"}

    listed = ids_listed(env.get("/console/decisions", TENANT_ADMIN).text)
    everything = ids_listed(env.get("/console/decisions", PLATFORM_ADMIN).text)

    assert listed == mine
    assert everything == mine | theirs
    assert theirs, "the fixture has decisions of other tenants"


def test_when_tenant_admin_opens_another_tenants_decision_then_it_reads_as_unknown(
    env: ConsoleEnv,
) -> None:
    theirs = env.decisions["support_us"]["id"]
    unknown = "dec_" + "0" * 32

    other = env.get(f"/console/decisions/{theirs}", TENANT_ADMIN)
    missing = env.get(f"/console/decisions/{unknown}", TENANT_ADMIN)

    assert other.status_code == missing.status_code == 404
    assert f"no decision {theirs} visible to this key" in other.text
    assert other.text.replace(theirs, "ID") == missing.text.replace(unknown, "ID")
    assert env.get(f"/console/decisions/{theirs}", PLATFORM_ADMIN).status_code == 200


def test_when_tenant_admin_asks_for_another_tenant_then_403_names_its_own(
    env: ConsoleEnv,
) -> None:
    for path in (
        "/console?tenant=nw-us",
        "/console/heatmap?tenant=nw-us",
        "/console/decisions?tenant=nw-us",
    ):
        response = env.get(path, TENANT_ADMIN)
        assert response.status_code == 403, path
        assert "this key sees tenant nw-eu only, not 'nw-us'" in unescape(response.text)


def test_when_tenant_admin_opens_heatmap_then_no_other_tenant_is_a_row(env: ConsoleEnv) -> None:
    html = env.get("/console/heatmap", TENANT_ADMIN).text
    everyone = env.get("/console/heatmap", PLATFORM_ADMIN).text

    assert "<th>nw-eu</th>" in html
    assert "<th>nw-us</th>" not in html
    assert "<th>nw-us</th>" in everyone


def test_when_tenant_admin_opens_policy_versions_then_403(env: ConsoleEnv) -> None:
    response = env.get("/console/policies", TENANT_ADMIN)

    assert response.status_code == 403
    assert "policy_admin" in response.text


# ---------------------------------------------------------------- filters and pages


def test_when_filtered_by_outcome_and_principal_then_only_matching_decisions_are_listed(
    env: ConsoleEnv,
) -> None:
    denied = env.decisions["threat_eu"]
    assert denied["outcome"] == "deny"

    by_outcome = ids_listed(env.get("/console/decisions?outcome=deny", PLATFORM_ADMIN).text)
    by_principal = ids_listed(
        env.get("/console/decisions?principal=us-support-agent", PLATFORM_ADMIN).text
    )

    expected = {d["id"] for d in env.decisions.values() if d["outcome"] == "deny"}
    assert denied["id"] in by_outcome
    assert by_outcome == expected
    assert by_principal == {env.decisions["support_us"]["id"]}


def test_when_filtered_by_policy_then_decisions_it_applied_to_are_listed(env: ConsoleEnv) -> None:
    decision = env.decisions["support_eu"]
    policy = "mask-card-numbers"
    expected = {
        d["id"]
        for d in env.decisions.values()
        if any(r["policy_id"] == policy for r in d["reasons"])
    }

    listed = ids_listed(env.get(f"/console/decisions?policy={policy}", PLATFORM_ADMIN).text)

    assert decision["id"] in listed
    assert listed == expected


def test_when_window_is_in_the_past_then_no_decision_is_listed(env: ConsoleEnv) -> None:
    html = env.get(
        "/console/decisions?since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00Z", PLATFORM_ADMIN
    ).text

    assert ids_listed(html) == set()
    assert "No decision matches these filters." in html


def test_when_heatmap_cell_is_followed_then_the_list_holds_exactly_its_count(
    env: ConsoleEnv,
) -> None:
    html = env.get("/console/heatmap", PLATFORM_ADMIN).text
    cells = re.findall(r'<a href="(/console/decisions\?[^"]+)" title="[^"]*: (\d+)">', html)
    assert cells, "the heatmap has cells"

    for href, count in cells:
        listed = ids_listed(env.get(href.replace("&amp;", "&"), PLATFORM_ADMIN).text)
        assert len(listed) == int(count), href


def test_when_decision_page_opens_then_reasons_route_and_redactions_are_shown(
    env: ConsoleEnv,
) -> None:
    decision = env.decisions["support_eu"]

    html = env.get(f"/console/decisions/{decision['id']}", PLATFORM_ADMIN).text

    assert decision["policy_version"] in html
    assert decision["route"]["primary"] in html
    for rejected in decision["route"]["rejected"]:
        assert rejected["model_id"] in html
    for span in decision["redactions"]:
        assert f"{span['start']}–{span['end']}" in html
    # Offsets and labels, never the values themselves.
    for value in ("jane.doe@example.com", "4111 1111 1111 1111", "Jane Doe"):
        assert value not in html
    assert html.count("<svg") == sum(1 for r in decision["reasons"] if r["path"])


def test_when_browser_link_is_run_in_neo4j_then_it_finds_the_reasons_path(
    env: ConsoleEnv, graph: GraphClient
) -> None:
    decision = env.decisions["support_eu"]
    html = env.get(f"/console/decisions/{decision['id']}", PLATFORM_ADMIN).text
    links = re.findall(r'class="browser" href="([^"]+)"', html)
    assert links

    for link in links:
        parts = urlsplit(link.replace("&amp;", "&"))
        assert (parts.port, parts.path) == (7599, "/browser/")
        cypher = unquote(parse_qs(parts.query)["arg"][0])
        rows = graph.run_statement(cypher)
        assert rows, cypher


def test_when_overview_opens_then_the_window_totals_match_the_decisions(env: ConsoleEnv) -> None:
    html = env.get("/console", PLATFORM_ADMIN).text
    totals = dict(re.findall(r'<span class="total (\w+)">\w+ <b>(\d+)</b>', html))
    expected = dict.fromkeys(("allow", "allow_with_redactions", "deny"), 0)
    for decision in env.decisions.values():
        expected[decision["outcome"]] += 1

    assert {k: int(v) for k, v in totals.items()} == expected
    assert 'id="chart-data"' in html


def test_when_policies_page_opens_then_the_active_version_and_a_diff_are_shown(
    env: ConsoleEnv,
) -> None:
    listing = env.get("/console/policies", PLATFORM_ADMIN)
    diff = env.get("/console/policies/diff?a=1&b=1", PLATFORM_ADMIN)

    assert listing.status_code == 200
    assert "<td>v1</td><td>active</td>" in listing.text
    assert diff.status_code == 200
    assert "no changes: same content, same decisions" in diff.text


# ---------------------------------------------------------------- bad input


def test_when_decision_id_is_unknown_then_404_page_names_the_id(env: ConsoleEnv) -> None:
    response = env.get("/console/decisions/dec_0123456789abcdef0123456789abcdef", PLATFORM_ADMIN)

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "no decision dec_0123456789abcdef0123456789abcdef visible to this key" in response.text


@pytest.mark.parametrize(
    ("query", "parameter", "says"),
    [
        ("outcome=maybe", "outcome", "is not one of allow, allow_with_redactions, deny"),
        ("since=yesterday", "since", "is neither a duration"),
        ("since=1h&until=2h", "until", "is not after since"),
        ("since=90d", "since", "longer than 31 days"),
        ("principal=a%20b", "principal", "is not an id"),
        ("after=garbage", "after", "is not a page cursor"),
    ],
)
def test_when_a_filter_is_malformed_then_400_names_the_parameter(
    env: ConsoleEnv, query: str, parameter: str, says: str
) -> None:
    response = env.get(f"/console/decisions?{query}", PLATFORM_ADMIN)

    assert response.status_code == 400
    assert f"Parameter: <code>{parameter}</code>" in response.text
    assert says in response.text


def test_when_diff_version_is_not_a_number_then_400_names_it(env: ConsoleEnv) -> None:
    response = env.get("/console/policies/diff?a=one&b=1", PLATFORM_ADMIN)

    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "Parameter: <code>a</code>" in response.text


def test_when_api_path_errs_then_it_still_answers_json(env: ConsoleEnv) -> None:
    response = env.get("/v1/decisions/dec_0123456789abcdef0123456789abcdef", PLATFORM_ADMIN)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
