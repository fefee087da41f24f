"""The web app's HTML pages, rendered in process (TestClient): each page of the contract renders
from the store, unknown ids get the 404 page, and scenario text and stored strings are shown
escaped, never as markup. What the pages' scripts do is tested in a real browser
(test_browser_flow.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from plantwin.experiment import Experiment, SerialExecutor
from plantwin.results import StoredRun, open_store
from plantwin.scenario import builtin, builtin_names, builtin_text, parse_scenario
from plantwin.sim import simulate
from plantwin.web import create_app

EVIL = '<script>alert("pwned")</script> & <b>co</b>'
EVIL_TOML = (
    builtin_text("maracay").replace(
        'name = "Maracay 7.62x39 mm cartridge plant"', f"name = '{EVIL}'", 1
    )
    + "\n# </textarea><script>alert(1)</script>\n"
)
SHOWN = str(escape(EVIL))  # as Jinja2 writes it into a page
RUN_CHARTS = ["chart-waterfall", "chart-monthly", "chart-output", "chart-states", "chart-pareto"]


class Site:
    """The app over a store holding a run, an experiment, a run of a plant named with markup,
    a saved scenario of that plant and a job."""

    def __init__(self, client: TestClient, url: str, ids: dict[str, int]) -> None:
        self.client, self.url, self.ids = client, url, ids

    def page(self, path: str, status: int = 200) -> str:
        answer = self.client.get(path)
        assert answer.status_code == status, (path, answer.text[:500])
        assert answer.headers["content-type"].startswith("text/html")
        text = answer.text
        assert "Traceback" not in text
        # nothing is fetched from another site: scripts, styles and images are the app's own
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        return text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'plantwin.db'}"
    experiment = Experiment(
        builtin("maracay"),
        {"base": [], "restart 2 h": [("grid.restart", 2.0)]},
        replications=2,
        seed=5,
        horizon="30d",
    )
    with open_store(url) as store:
        ids = {
            "run": store.save(
                StoredRun.from_result(simulate(builtin("maracay"), seed=1, horizon="30d"))
            ),
            "experiment": store.save(StoredRun.from_resultset(experiment.run(SerialExecutor()))),
            "evil": store.save(
                StoredRun.from_result(
                    simulate(parse_scenario(EVIL_TOML, "evil"), seed=2, horizon="14d")
                )
            ),
        }
        store.set_label(ids["run"], EVIL)
        store.save_scenario("evil-plant", EVIL_TOML)
    with TestClient(create_app(url)) as client:
        with open_store(url) as store:  # a job the runner never picks up: it stays queued
            ids["job"] = store.add_job("run", {"scenario": EVIL, "seed": 3}, total=7)
        yield Site(client, url, ids)


def textarea(page: str) -> str:
    """The editor's text, as the browser reads it."""
    found = re.search(r"<textarea id=\"source\"[^>]*>(.*?)</textarea>", page, re.S)
    assert found
    return html.unescape(found.group(1))


def test_the_scenarios_page(site: Site) -> None:
    page = site.page("/")
    assert 'data-page="scenarios"' in page and 'id="scenarios"' in page
    # the built-in plants to start a new one from, the default chosen
    assert re.findall(r"<option[^>]*>([^<]+)</option>", page) == builtin_names()
    assert "<option selected>maracay</option>" in page


@pytest.mark.parametrize("name", builtin_names())
def test_a_built_in_scenario_in_the_editor(site: Site, name: str) -> None:
    page = site.page(f"/scenarios/{name}")
    assert textarea(page) == builtin_text(name)
    assert 'data-kind="builtin"' in page
    assert "save it under a new name" in page
    assert 'id="delete-scenario"' not in page  # a built-in cannot be deleted


def test_a_new_scenario_starts_from_a_built_in(site: Site) -> None:
    page = site.page("/scenarios/new?start=assembly")
    assert textarea(page) == builtin_text("assembly")
    assert 'data-kind="new"' in page and 'data-origin="assembly"' in page
    assert textarea(site.page("/scenarios/new")) == builtin_text("maracay")
    site.page("/scenarios/new?start=nothing", 404)


def test_a_saved_scenario_is_shown_escaped(site: Site) -> None:
    """The TOML (a plant named with markup, a comment closing the textarea) is the editor's
    text exactly, and nowhere markup."""
    page = site.page("/scenarios/evil-plant")
    assert textarea(page) == EVIL_TOML
    assert "<script>alert" not in page and "<b>co</b>" not in page
    assert 'data-kind="saved"' in page and 'id="delete-scenario"' in page
    assert page.count("</textarea>") == 2  # the editor's and the sweeps', none from the text


def test_the_job_page(site: Site) -> None:
    page = site.page(f"/jobs/{site.ids['job']}")
    assert '<dd id="job-status">queued</dd>' in page
    assert '<progress id="job-progress" max="7" value="0">' in page
    assert "0 of 7" in page
    assert 'id="job-cancel"' in page and 'id="job-cancel" class="danger" hidden' not in page
    assert "<script>alert" not in page and SHOWN in page


def test_the_results_page(site: Site) -> None:
    page = site.page("/results")
    assert 'data-page="results"' in page and 'id="results"' in page
    for field in ("filter-kind", "filter-scenario", "filter-label"):
        assert f'<label for="{field}">' in page  # every input has its label


def chart_ids(page: str) -> list[str]:
    return re.findall(r'<div id="([a-z]-)?(chart-[a-z0-9-]+)" class="plotly-graph-div"', page)


def test_a_run_page_has_the_reports_tables_and_charts(site: Site) -> None:
    run = site.ids["run"]
    page = site.page(f"/results/{run}")
    ids = [i for _, i in chart_ids(page)]
    assert ids[: len(RUN_CHARTS)] == RUN_CHARTS
    assert "KPI summary" in page and "Conservation holds" in page
    assert "Stations: OEE" in page
    assert '<script src="/static/plotly.min.js"></script>' in page
    # the label is shown escaped, in its input
    assert f'value="{SHOWN}"' in page and "<script>alert" not in page
    # downloads: the report and every export, by links to the API
    assert f'href="/api/results/{run}/report"' in page
    for fmt in ("parquet", "csv", "ocel", "ocel-sqlite"):
        assert f'href="/api/results/{run}/export?format={fmt}"' in page


def test_an_experiment_page(site: Site) -> None:
    page = site.page(f"/results/{site.ids['experiment']}")
    ids = [i for _, i in chart_ids(page)]
    assert ids[0] == "chart-fan" and "chart-kpi-0" in ids
    assert "restart 2 h" in page and "grid.restart=2.0" in page  # the variants and overrides
    assert "2 per variant" in page


def test_a_plant_named_with_markup_is_text_on_its_pages(site: Site) -> None:
    evil = site.ids["evil"]
    for path in (f"/results/{evil}", f"/compare?a={site.ids['run']}&b={evil}"):
        page = site.page(path)
        assert "<script>alert" not in page and "<b>co</b>" not in page
        assert SHOWN in page


def test_the_comparison_page(site: Site) -> None:
    run, experiment = site.ids["run"], site.ids["experiment"]
    page = site.page(f"/compare?a={run}&b={experiment}")
    assert f'data-a="{run}" data-b="{experiment}"' in page
    # each side's key charts, their ids kept apart on the one page
    assert chart_ids(page) == [
        ("a-", "chart-waterfall"),
        ("a-", "chart-output"),
        ("b-", "chart-fan"),
        ("b-", "chart-kpi-0"),
    ]
    assert "KPI summary" not in page  # the headline KPIs come from /api/compare instead
    assert f'href="/results/{run}"' in page and f'href="/results/{experiment}"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/results/999",
        "/results/0",
        "/results/abc",
        "/results/99999999999999999999",
        "/results/%EF%BC%91",  # a full-width digit one
        "/jobs/999",
        "/jobs/-1",
        "/scenarios/nothing",
        "/compare?a=1&b=999",
        "/compare?a=1",
        "/compare",
        "/static/nothing.js",
        "/static/app.py",
    ],
)
def test_unknown_things_get_the_404_page(site: Site, path: str) -> None:
    page = site.page(path, 404)
    assert "<h1>Not found</h1>" in page
    assert re.search(r'<p class="error-message" role="alert">there is no [a-z -]+', page)


def test_the_404_page_shows_the_name_escaped(site: Site) -> None:
    page = site.page("/scenarios/%3Cimg%20src=x%20onerror=alert(1)%3E", 404)
    assert "<img" not in page
    assert "there is no scenario &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" in page


def test_static_files_come_from_the_package(site: Site) -> None:
    js = site.client.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    # data goes into pages as text: the scripts never parse strings as HTML
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js.text
    css = site.client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    plotly = site.client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and "plotly.js v" in plotly.text[:2000]


def test_pages_are_not_in_the_api_schema(site: Site) -> None:
    paths = site.client.get("/openapi.json").json()["paths"]
    assert paths and all(p.startswith("/api/") for p in paths)


def test_every_input_has_a_label(site: Site) -> None:
    """Accessible: each input, select and textarea of the editor and the result page has a
    label (for= its id, around it, or aria-label)."""
    for path in ("/scenarios/maracay", f"/results/{site.ids['run']}", "/results", "/"):
        page = site.page(path)
        labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', page))
        for tag in re.finditer(r"<(input|select|textarea)\b([^>]*)>", page):
            attrs = tag.group(2)
            if 'type="hidden"' in attrs or "aria-label=" in attrs:
                continue
            found = re.search(r'id="([^"]+)"', attrs)
            before = page[: tag.start()]
            inside_label = before.rfind("<label") > before.rfind("</label>")
            assert inside_label or (found and found.group(1) in labelled), (path, tag.group(0))


def test_the_report_template_is_one_for_the_file_and_the_page(site: Site) -> None:
    """The run page embeds the same tables as the downloadable report."""
    run = site.ids["run"]
    page = site.page(f"/results/{run}")
    report = site.client.get(f"/api/results/{run}/report").text
    captions = re.findall(r"<caption>([^<]+)</caption>", report)
    assert captions and re.findall(r"<caption>([^<]+)</caption>", page)[-len(captions) :] == (
        captions
    )
