"""The web app as a user goes through it, in a real browser (Debian's headless Chromium through
Playwright) against a real server (``plantwin serve`` in a subprocess on a free port, a
temporary SQLite store): open the
scenarios, edit the built-in plant, see a mistake at its line, fix it, save, run, watch the
progress, open the result, run again with another seed, compare the two.

Skipped on a laptop without /usr/bin/chromium; in CI (CI=true) its absence fails. Never
``playwright install``: the browser is Debian's. Screenshots go to $PLANTWIN_SCREENSHOTS
(web-*.png) when it is set.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plantwin.scenario import builtin_text

SHOTS = os.environ.get("PLANTWIN_SCREENSHOTS")
WAIT = 120_000  # ms: generous deadlines for conditions, never a measure of speed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server on a free port over a new SQLite store; stopped afterwards."""
    folder = tmp_path_factory.mktemp("serve")
    port = _free_port()
    plantwin = Path(sys.executable).parent / "plantwin"
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [
            str(plantwin),
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{folder / 'plantwin.db'}",
        ],
        cwd=folder,
        env={k: v for k, v in os.environ.items() if k not in ("PLANTWIN_DB", "PLANTWIN_TOKEN")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/scenarios", timeout=5) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the server did not start:\n{(folder / 'server.log').read_text()}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


class User:
    """One browser tab of a user, with every console error, page error and request to another
    origin seen meanwhile."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.browser = browser
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.route("**/*", self._only_the_server)

    def _only_the_server(self, route: Any) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:  # nothing is fetched from the internet
            self.problems.append(f"request: {route.request.url}")
            route.abort()

    def shot(self, name: str) -> None:
        png = self.page.screenshot(full_page=True)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            (Path(SHOTS) / f"web-{name}.png").write_bytes(png)

    def select_text(self, needle: str, after: int = 0) -> None:
        """Select the first ``needle`` in the editor's text (at or after offset ``after``),
        as a user does by dragging over it."""
        self.page.eval_on_selector(
            "#source",
            "(t, [needle, after]) => { const i = t.value.indexOf(needle, after); t.focus();"
            " t.setSelectionRange(i, i + needle.length); }",
            [needle, after],
        )

    def wait_charts(self, at_least: int) -> int:
        self.page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}",
            timeout=WAIT,
        )
        drawn: int = self.page.evaluate(
            "Array.from(document.querySelectorAll('.js-plotly-plot'))"
            ".filter(el => el.querySelectorAll('.main-svg .trace').length > 0).length"
        )
        return drawn


def run_job(user: User, seed: int) -> int:
    """From the editor: start one run with ``seed``, watch its job to the end, open the result;
    the result's id."""
    page = user.page
    page.get_by_label("one run").check()
    page.get_by_label("seed", exact=True).fill(str(seed))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"), timeout=WAIT)
    page.wait_for_function(
        "document.querySelector('#job-status').textContent === 'done'", timeout=WAIT
    )
    bar = page.locator("#job-progress")
    assert bar.evaluate("b => b.value === b.max && b.max >= 1")
    assert page.locator("#job-cancel").is_hidden()
    # a second browser shows the same job, finished
    job_url = page.url
    other = user.browser.new_page()
    other.goto(job_url)
    other.wait_for_function(
        "document.querySelector('#job-status').textContent === 'done'", timeout=WAIT
    )
    assert other.locator("#job-result").get_attribute("href") == page.locator(
        "#job-result"
    ).get_attribute("href")
    other.close()
    user.shot(f"job-seed-{seed}")
    page.get_by_role("link", name="Open the result").click()
    page.wait_for_url(re.compile(r"/results/\d+$"), timeout=WAIT)
    return int(page.url.rsplit("/", 1)[1])


def test_the_whole_flow(browser: Any, server: str) -> None:
    user = User(browser, server)
    page = user.page

    # the scenarios: the built-in plants with their plant names
    page.goto(f"{server}/")
    maracay = page.get_by_role("link", name="maracay", exact=True)
    maracay.wait_for(timeout=WAIT)
    assert "Maracay" in page.locator("#scenarios tbody").inner_text()
    user.shot("1-scenarios")

    # the built-in maracay in the editor: valid; a short horizon through the form; saved
    maracay.click()
    page.wait_for_url(f"{server}/scenarios/maracay")
    validity = page.locator("#validity")
    validity.filter(has_text="The scenario is valid.").wait_for(timeout=WAIT)
    lines = builtin_text("maracay").count("\n") + 1
    assert page.locator("#gutter div").count() == lines
    page.get_by_label("horizon (90d, 1y)").fill("30d")
    page.get_by_role("button", name="Apply to the TOML").click()
    page.wait_for_function(
        "document.querySelector('#source').value.includes('horizon = \"30d\"')", timeout=WAIT
    )
    page.get_by_label("name (letters, digits, . _ -)").fill("short-plant")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{server}/scenarios/short-plant?saved=1", timeout=WAIT)
    page.locator("#save-status").filter(has_text="Saved as short-plant").wait_for()
    user.shot("2-editor-saved")

    # a mistake: a negative rate; its message at its line, in the gutter and in the list
    text = page.locator("#source").input_value()
    first_line = text.index("[[lines]]")
    rate_at = text.index("rate = 4200", first_line)
    line = text.count("\n", 0, rate_at) + 1
    user.select_text("4200", rate_at)
    page.keyboard.type("-5")
    validity.filter(has_text="1 problem").wait_for(timeout=WAIT)
    marked = page.locator("#gutter div.error")
    assert marked.count() == 1 and marked.inner_text().strip() == str(line)
    problem = page.locator("#problems li").inner_text()
    # the CLI's message: name:line: field: what is wrong (got the value)
    assert problem == f"short-plant:{line}: lines[0].rate: must be greater than 0 (got -5)"
    user.shot("3-editor-mistake")

    # fixed, saved; the gutter is clean
    user.select_text("-5", rate_at)
    page.keyboard.type("4200")
    validity.filter(has_text="The scenario is valid.").wait_for(timeout=WAIT)
    assert page.locator("#gutter div.error").count() == 0
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("#save-status").filter(has_text="Saved as short-plant").wait_for()

    # the saved scenario is listed with the built-in ones; open it again
    page.get_by_role("link", name="Scenarios").click()
    mine = page.locator("#scenarios tbody tr").filter(has_text="short-plant")
    mine.wait_for(timeout=WAIT)
    assert "saved" in mine.inner_text() and "Maracay" in mine.inner_text()
    mine.get_by_role("link", name="short-plant").click()
    validity.filter(has_text="The scenario is valid.").wait_for(timeout=WAIT)
    assert "rate = -5" not in page.locator("#source").input_value()

    # a run: its progress to the end, its result with the report's charts
    first = run_job(user, seed=1)
    charts = user.wait_charts(5)
    assert charts >= 5
    facts = page.locator("#result dl").inner_text()
    assert "Maracay" in facts and "720 h" in facts  # the 30 days set through the form
    report = page.request.get(f"{server}/api/results/{first}/report")
    assert report.status == 200 and "text/html" in report.headers["content-type"]
    user.shot("4-run")

    # another seed, then the two side by side
    page.goto(f"{server}/scenarios/short-plant")
    validity.filter(has_text="The scenario is valid.").wait_for(timeout=WAIT)
    second = run_job(user, seed=2)
    user.wait_charts(5)
    page.goto(f"{server}/results")
    page.get_by_label(f"label of result {first}", exact=True).fill("baseline <b>seed 1</b>")
    page.get_by_role("button", name=f"Save the label of result {first}").click()
    page.locator("#results-status").filter(has_text=f"Label of result {first} saved").wait_for()
    page.get_by_label("label", exact=True).fill("baseline")
    page.get_by_role("button", name="Filter").click()
    page.locator("#results-status").filter(has_text="1 result.").wait_for(timeout=WAIT)
    assert page.locator("#results tbody tr").count() == 1
    user.shot("5-results")
    page.get_by_label("label", exact=True).fill("")
    page.get_by_role("button", name="Filter").click()
    page.locator("#results-status").filter(has_text="2 results.").wait_for(timeout=WAIT)
    for result in (first, second):
        page.get_by_label(f"pick result {result} to compare", exact=True).check()
    page.get_by_role("button", name="Compare the two picked").click()
    page.wait_for_url(re.compile(r"/compare\?"), timeout=WAIT)
    page.wait_for_function(
        "document.querySelectorAll('#compare tbody tr th').length >= 3", timeout=WAIT
    )
    rows = page.locator("#compare tbody").inner_text()
    assert "units into storage" in rows and "attainment" in rows
    attainment = next(line for line in rows.splitlines() if line.startswith("attainment"))
    assert attainment.rstrip().endswith(" pp")  # two shares differ in percentage points
    # the label is text, never markup
    assert page.locator("#compare b").count() == 0
    assert "baseline <b>seed 1</b>" in page.locator(".sides").inner_text()
    assert user.wait_charts(4) >= 4  # each side's key charts
    user.shot("6-compare")

    assert user.problems == []
    page.close()


def test_an_experiment_and_a_cancelled_one(browser: Any, server: str) -> None:
    """From the editor: an experiment with a sweep, its progress growing to the end, its page
    with the fan and KPI charts; then a long one, cancelled from its job page."""
    user = User(browser, server)
    page = user.page
    source = builtin_text("maracay").replace('horizon = "1y"', 'horizon = "30d"', 1)
    saved = page.request.put(f"{server}/api/scenarios/exp-plant", data={"source": source})
    assert saved.ok, saved.text()
    page.goto(f"{server}/scenarios/exp-plant")
    page.locator("#validity").filter(has_text="The scenario is valid.").wait_for(timeout=WAIT)
    page.get_by_label("an experiment (replications)").check()
    page.get_by_label("replications per variant").fill("3")
    page.get_by_label("sweeps, one a line (PATH=V1,V2)").fill("grid.restart=0.5,2")
    page.get_by_label("paired differences against the base (compare)").check()
    page.get_by_label("label (optional)").fill("restart sweep")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"), timeout=WAIT)
    # every value the bar shows, as the page's polling sets it
    page.evaluate(
        "window.seen = []; setInterval(() => { const b = document.querySelector("
        "'#job-progress'); window.seen.push([b.value, b.max]); }, 20)"
    )
    page.wait_for_function(
        "document.querySelector('#job-status').textContent === 'done'", timeout=WAIT
    )
    seen: list[list[float]] = page.evaluate("window.seen")
    values = [v for v, _ in seen]
    assert values == sorted(values) and values[-1] == seen[-1][1] >= 1  # grows to the end
    page.get_by_role("link", name="Open the result").click()
    page.wait_for_url(re.compile(r"/results/\d+$"), timeout=WAIT)
    assert user.wait_charts(2) >= 2
    assert page.locator("#chart-fan").count() == 1 and page.locator("#chart-kpi-0").count() == 1
    assert page.get_by_label("label", exact=True).input_value() == "restart sweep"
    assert "grid.restart=2" in page.locator(".report").inner_text()
    user.shot("7-experiment")

    # a long experiment, cancelled: its worker stopped, no result
    page.goto(f"{server}/scenarios/exp-plant")
    page.get_by_label("an experiment (replications)").check()
    page.get_by_label("horizon (blank: the scenario's)").fill("1y")
    page.get_by_label("replications per variant").fill("2000")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"), timeout=WAIT)
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_function(
        "document.querySelector('#job-status').textContent === 'cancelled'", timeout=WAIT
    )
    assert page.locator("#job-cancel").is_hidden() and page.locator("#job-result").is_hidden()
    user.shot("8-cancelled")
    assert user.problems == []
    page.close()
