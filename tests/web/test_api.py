"""The JSON API through FastAPI's TestClient: every route's success and its errors (404, 409,
413, 422), a scenario's problems at their lines as the CLI says them, the form that keeps the
file's comments, and a run job's whole life: done, listed, labelled, reported, exported,
compared with another, deleted.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from plantwin.cli import app as cli
from plantwin.results import open_store
from plantwin.scenario import builtin_names, builtin_text
from plantwin.web import create_app

from .conftest import LOCAL, ended_job

MARACAY = builtin_text("maracay")
SHORT = MARACAY.replace('horizon = "1y"', 'horizon = "2d"')
BAD_LINE = next(n for n, line in enumerate(MARACAY.splitlines(), 1) if line.startswith("rate ="))
BAD = "\n".join(
    "rate = -5" if n == BAD_LINE else line for n, line in enumerate(MARACAY.splitlines(), 1)
)


def _detail(response: Any) -> str:
    body = response.json()
    assert set(body) <= {"detail", "problems"}, body
    assert isinstance(body["detail"], str)
    return str(body["detail"])


# --- scenarios -------------------------------------------------------------------------------


def test_the_built_in_scenarios_are_listed_with_their_plant_and_format(client: TestClient) -> None:
    listed = {s["name"]: s for s in client.get("/api/scenarios").json()}
    assert set(builtin_names()) <= set(listed)
    assert listed["maracay"]["kind"] == "builtin"
    assert listed["maracay"]["format"] == 1
    assert listed["maracay"]["plant"].startswith("Maracay")
    assert listed["assembly"]["format"] == 2


def test_a_built_in_scenario_is_given_with_its_comments(client: TestClient) -> None:
    got = client.get("/api/scenarios/maracay").json()
    assert got == {"name": "maracay", "kind": "builtin", "source": MARACAY}


def test_unknown_and_malformed_scenario_names(client: TestClient) -> None:
    assert client.get("/api/scenarios/nothing-here").status_code == 404
    assert "nothing-here" in _detail(client.get("/api/scenarios/nothing-here"))
    for name in ["..", ".hidden", "a%20b", "x" * 65, "a%2Fb", "a%0A", "%00"]:
        assert client.get(f"/api/scenarios/{name}").status_code in (404, 422), name
        assert client.put(f"/api/scenarios/{name}", json={"source": SHORT}).status_code in (
            404,
            405,
            422,
        ), name
    assert client.put("/api/scenarios/.hidden", json={"source": SHORT}).status_code == 422


def test_a_valid_scenario_is_saved_listed_read_replaced_and_deleted(client: TestClient) -> None:
    saved = client.put("/api/scenarios/my-plant_2.v1", json={"source": SHORT})
    assert saved.status_code == 200
    assert saved.json()["kind"] == "saved"
    assert saved.json()["plant"].startswith("Maracay")
    listed = {s["name"]: s for s in client.get("/api/scenarios").json()}
    assert listed["my-plant_2.v1"]["kind"] == "saved"
    assert client.get("/api/scenarios/my-plant_2.v1").json()["source"] == SHORT
    other = SHORT.replace('name = "Maracay', 'name = "Other')
    assert client.put("/api/scenarios/my-plant_2.v1", json={"source": other}).status_code == 200
    assert client.get("/api/scenarios/my-plant_2.v1").json()["source"] == other
    assert client.delete("/api/scenarios/my-plant_2.v1").status_code == 204
    assert client.get("/api/scenarios/my-plant_2.v1").status_code == 404
    assert client.delete("/api/scenarios/my-plant_2.v1").status_code == 404


def test_an_invalid_scenario_is_not_saved_and_its_problem_is_at_its_line(
    client: TestClient,
) -> None:
    answer = client.put("/api/scenarios/broken", json={"source": BAD})
    assert answer.status_code == 422
    (problem,) = answer.json()["problems"]
    assert problem["line"] == BAD_LINE
    assert problem["field"] == "lines[0].rate"
    assert "-5" in problem["message"]
    assert client.get("/api/scenarios/broken").status_code == 404


def test_built_in_and_reserved_names_cannot_be_saved_over_or_deleted(client: TestClient) -> None:
    for name in ["maracay", "new"]:
        assert client.put(f"/api/scenarios/{name}", json={"source": SHORT}).status_code == 409
    assert client.delete("/api/scenarios/maracay").status_code == 409
    assert client.get("/api/scenarios/maracay").json()["source"] == MARACAY


def test_a_scenario_over_one_mebibyte_is_refused_with_413(client: TestClient) -> None:
    padded = SHORT + "#" * (1024 * 1024)  # a comment: valid TOML, too large
    for answer in [
        client.put("/api/scenarios/huge", json={"source": padded}),
        client.post("/api/validate", json={"source": padded}),
        client.post("/api/form", json={"source": padded, "fields": {}}),
        client.post("/api/jobs", json={"kind": "run", "source": padded}),
    ]:
        assert answer.status_code == 413
        assert "1,048,576" in _detail(answer)
    body = b'{"source": "' + b"#" * (3 * 1024 * 1024) + b'"}'
    answer = client.post(
        "/api/validate", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413


def test_text_that_is_not_unicode_is_refused(client: TestClient) -> None:
    body = json.dumps({"source": SHORT + "# half a character: \ud800\n"})  # JSON escapes it
    for method, path in [("PUT", "/api/scenarios/half"), ("POST", "/api/validate")]:
        answer = client.request(
            method, path, content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422, answer.text
        assert "Unicode" in _detail(answer)
    assert client.get("/api/scenarios/half").status_code == 404


def test_scenario_text_is_kept_literally_never_run(client: TestClient) -> None:
    sly = SHORT.replace(
        'name = "Maracay 7.62x39 mm cartridge plant"',
        "name = \"<script>alert(1)</script> {{ 7*7 }} __import__('os')\"",
    )
    assert client.put("/api/scenarios/sly", json={"source": sly}).status_code == 200
    listed = {s["name"]: s for s in client.get("/api/scenarios").json()}
    assert listed["sly"]["plant"] == "<script>alert(1)</script> {{ 7*7 }} __import__('os')"
    assert client.get("/api/scenarios/sly").json()["source"] == sly


# --- validation and the form ------------------------------------------------------------------


def test_validation_gives_the_clis_messages_at_their_lines(
    client: TestClient, tmp_path: Path
) -> None:
    text = BAD.replace("lanes = 2", "lanes = 0")
    answer = client.post("/api/validate", json={"source": text, "name": "plant.toml"}).json()
    assert answer["ok"] is False
    path = tmp_path / "plant.toml"
    path.write_text(text, encoding="utf-8")
    said = CliRunner().invoke(cli, ["validate", str(path)])
    assert said.exit_code == 2
    cli_lines = [line for line in said.stderr.splitlines() if ": " in line]
    assert len(answer["problems"]) == 2
    for p in answer["problems"]:
        where = f"{path}:{p['line']}: {p['field']}: {p['message']}"
        assert any(where in line for line in cli_lines), (where, cli_lines)


def test_validation_of_valid_text_and_of_text_that_is_not_toml(client: TestClient) -> None:
    assert client.post("/api/validate", json={"source": MARACAY}).json() == {
        "ok": True,
        "problems": [],
        "warnings": [],
    }
    answer = client.post("/api/validate", json={"source": "[plant]\nname = \n"}).json()
    assert answer["ok"] is False
    assert answer["problems"][0]["line"] == 2
    assert "TOML" in answer["problems"][0]["message"]
    deep = client.post("/api/validate", json={"source": "a = " + "[" * 5000}).json()
    assert deep["ok"] is False


def test_a_scenario_nested_too_deeply_is_refused_not_crashed(client: TestClient) -> None:
    deep = SHORT + "\nx = " + "[" * 2000 + "]" * 2000 + "\n"
    answer = client.put("/api/scenarios/deep", json={"source": deep})
    assert answer.status_code == 422
    assert "nested" in _detail(answer)


def test_the_form_sets_fields_and_keeps_every_other_line(client: TestClient) -> None:
    fields = {
        "horizon": "90d",
        "lines.L2.rate": "3900",
        "grid.cuts.between.mean": 120.5,
        "storage.capacity": 5_000_000,
        "demand.recurring[1].quantity": 1_000_000,
    }
    answer = client.post("/api/form", json={"source": MARACAY, "fields": fields}).json()
    assert answer["problems"] == []
    data = tomllib.loads(answer["source"])
    assert data["plant"]["horizon"] == "90d"
    assert [line["rate"] for line in data["lines"]] == [4200, 3900, 4200, 4200]
    assert data["grid"]["cuts"]["between"]["mean"] == 120.5
    assert data["storage"]["capacity"] == 5_000_000
    assert data["demand"]["recurring"][1]["quantity"] == 1_000_000
    before, after = MARACAY.splitlines(), answer["source"].splitlines()
    assert len(before) == len(after)
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 5  # one line per field; every comment and blank line kept
    storage = next(line for line in after if line.startswith("capacity ="))
    assert "# PUBLIC" in storage  # the comment beside a changed value stays
    shown = {f["path"]: f["value"] for f in answer["fields"]}
    assert shown["plant.horizon"] == "90d"
    assert shown["lines.L2.rate"] == 3900
    assert shown["demand.recurring[1].quantity"] == 1_000_000


def test_the_form_lists_fields_and_shows_the_problems_of_a_value(client: TestClient) -> None:
    listed = client.post("/api/form", json={"source": MARACAY}).json()
    assert listed["source"] == MARACAY
    paths = [f["path"] for f in listed["fields"]]
    assert paths[:5] == ["plant.horizon", *(f"lines.L{i}.rate" for i in range(1, 5))]
    assert "grid.cuts.between.mean" in paths
    bad = client.post("/api/form", json={"source": MARACAY, "fields": {"lines.L1.rate": -1}})
    assert bad.status_code == 200
    (problem,) = bad.json()["problems"]
    assert problem["field"] == "lines[0].rate"
    assert problem["line"] == BAD_LINE


def test_the_form_refuses_a_path_that_leads_nowhere(client: TestClient) -> None:
    for path in ["lines.L9.rate", "lines[7].rate", "lines[0]", "plant.name.x"]:
        answer = client.post("/api/form", json={"source": MARACAY, "fields": {path: 1}})
        assert answer.status_code == 422, path
    answer = client.post("/api/form", json={"source": "[plant\n", "fields": {"horizon": "1d"}})
    assert answer.status_code == 422
    assert "TOML" in _detail(answer)


def test_form_fields_of_a_built_in_and_of_a_format_2_scenario(client: TestClient) -> None:
    fields = {f["path"]: f for f in client.get("/api/form-fields?name=maracay").json()}
    assert fields["lines.L3.rate"]["value"] == 4200
    assert fields["plant.horizon"] == {
        "path": "plant.horizon",
        "label": "horizon (90d, 1y)",
        "value": "1y",
        "kind": "text",
    }
    network = {f["path"] for f in client.get("/api/form-fields?name=assembly").json()}
    assert "stations.final-asm.rate" in network
    assert not any(p.startswith("lines.") for p in network)
    assert client.get("/api/form-fields?name=none-such").status_code == 404
    assert client.get("/api/form-fields").status_code == 422


# --- jobs and results ----------------------------------------------------------------------


def _run(client: TestClient, **request: Any) -> dict[str, Any]:
    answer = client.post("/api/jobs", json={"kind": "run", "horizon": "2d", **request})
    assert answer.status_code == 202, answer.text
    job = ended_job(client, answer.json()["id"])
    assert job["status"] == "done", job
    return job


def test_a_run_job_from_its_result_to_its_deletion(client: TestClient, tmp_path: Path) -> None:
    first = _run(client, scenario="maracay", seed=3, label="first")
    assert first["done"] == first["total"] > 0
    assert first["request"]["seed"] == 3
    assert client.get(f"/api/jobs/{first['id']}").json() == first
    assert first["id"] in [j["id"] for j in client.get("/api/jobs").json()]
    rid = first["result_id"]

    (info,) = client.get("/api/results").json()
    assert info["id"] == rid
    assert (info["kind"], info["seed"], info["label"]) == ("run", 3, "first")
    assert info["horizon_hours"] == 48.0
    result = client.get(f"/api/results/{rid}").json()
    assert result["info"] == info
    assert result["kpis"]["output"]["units_stored"] == info["units_stored"]

    relabelled = client.patch(f"/api/results/{rid}", json={"label": "baseline <b>"})
    assert relabelled.json()["label"] == "baseline <b>"
    assert [r["id"] for r in client.get("/api/results?label=BASELINE").json()] == [rid]
    assert client.get("/api/results?label=other").json() == []
    assert [r["id"] for r in client.get("/api/results?kind=run&scenario=maracay").json()] == [rid]
    assert client.get("/api/results?kind=experiment").json() == []
    assert client.patch(f"/api/results/{rid}", json={"label": "two\nlines"}).status_code == 422

    report = client.get(f"/api/results/{rid}/report")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "<html" in report.text and f"run {rid}" in report.text

    for fmt in ["parquet", "csv"]:
        got = client.get(f"/api/results/{rid}/export?format={fmt}")
        assert got.headers["content-type"] == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(got.content)).namelist()
        assert f"run-{rid}/events.{fmt}" in names
    ocel = client.get(f"/api/results/{rid}/export?format=ocel")
    assert ocel.headers["content-disposition"].endswith(f'"run-{rid}.ocel.json"')
    assert json.loads(ocel.content)["events"]
    sqlite_file = tmp_path / "log.sqlite"
    sqlite_file.write_bytes(client.get(f"/api/results/{rid}/export?format=ocel-sqlite").content)
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("select count(*) from event").fetchone()[0] > 0
    assert client.get(f"/api/results/{rid}/export?format=xlsx").status_code == 422

    second = _run(client, scenario="maracay", seed=4, sets=["lines.L1.rate=2000"])
    compared = client.get(f"/api/compare?a={rid}&b={second['result_id']}").json()
    assert (compared["a"]["seed"], compared["b"]["seed"]) == (3, 4)
    assert compared["b"]["overrides"] == {"set": ["lines.L1.rate=2000"]}
    row = next(r for r in compared["rows"] if r["kpi"] == "output.units_stored")
    assert row["a"] == info["units_stored"]
    assert row["difference"] == pytest.approx(row["b"] - row["a"])

    assert client.delete(f"/api/results/{rid}").status_code == 204
    for route in ["", "/report", "/export"]:
        assert client.get(f"/api/results/{rid}{route}").status_code == 404
    assert client.delete(f"/api/results/{rid}").status_code == 404
    assert client.patch(f"/api/results/{rid}", json={"label": "x"}).status_code == 404
    assert client.get(f"/api/compare?a={rid}&b={second['result_id']}").status_code == 404
    assert [r["id"] for r in client.get("/api/results").json()] == [second["result_id"]]


def test_a_job_from_a_saved_scenario_and_from_unsaved_text(client: TestClient) -> None:
    client.put("/api/scenarios/quick", json={"source": SHORT.replace("rate = 4200", "rate = 10")})
    saved = _run(client, scenario="quick")
    text = _run(client, scenario="draft", source=SHORT.replace("rate = 4200", "rate = 20"))
    made = {}
    for job in (saved, text):
        kpis = client.get(f"/api/results/{job['result_id']}").json()["kpis"]
        made[job["id"]] = kpis["output"]["units_made"]
    assert made[text["id"]] > made[saved["id"]] > 0
    assert "source" not in text["request"]


def test_a_bad_job_is_refused_before_any_job_exists(client: TestClient) -> None:
    cases = [
        ({"kind": "run", "scenario": "none-such"}, 404),
        ({"kind": "run", "scenario": "../../etc/passwd"}, 422),
        ({"kind": "run", "sets": ["lines.L9.rate=1"]}, 422),
        ({"kind": "run", "horizon": "forever"}, 422),
        ({"kind": "experiment", "sweeps": ["nothing=1,2"]}, 422),
        ({"kind": "experiment", "reps": 0}, 422),
        ({"kind": "run", "source": BAD}, 422),
        ({"kind": "run", "label": "a\nb"}, 422),
        ({"kind": "build"}, 422),
    ]
    for request, status in cases:
        answer = client.post("/api/jobs", json=request)
        assert answer.status_code == status, (request, answer.text)
        _detail(answer)
    assert client.get("/api/jobs").json() == []
    problems = client.post("/api/jobs", json={"kind": "run", "source": BAD}).json()["problems"]
    assert [p["line"] for p in problems] == [BAD_LINE]


def test_unknown_and_out_of_range_ids(client: TestClient) -> None:
    for route in ["/api/jobs/{}", "/api/results/{}", "/api/results/{}/report"]:
        assert client.get(route.format(12345)).status_code == 404
        for bad in ["0", "-1", str(2**31), "abc", "1e3"]:
            assert client.get(route.format(bad)).status_code == 422, (route, bad)
    assert client.post("/api/jobs/12345/cancel").status_code == 404
    assert client.get("/api/compare?a=1").status_code == 422


def test_an_experiment_job_is_cancelled_and_leaves_no_result(client: TestClient) -> None:
    request = {"kind": "experiment", "scenario": "maracay", "horizon": "5y", "reps": 10_000}
    job = client.post("/api/jobs", json=request).json()
    assert job["request"]["reps"] == 10_000 and job["total"] == 10_000
    cancelled = client.post(f"/api/jobs/{job['id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert ended_job(client, job["id"])["status"] == "cancelled"
    again = client.post(f"/api/jobs/{job['id']}/cancel")
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert client.get("/api/results").json() == []


def test_the_server_marks_jobs_a_previous_one_left_and_stops_its_own(store_url: str) -> None:
    with open_store(store_url) as store:
        left = store.add_job("run", {"scenario": "maracay"}, total=100)
        store.update_job(left, status="running")
    with TestClient(create_app(store_url), base_url=LOCAL) as c:
        assert c.get(f"/api/jobs/{left}").json()["status"] == "interrupted"
        request = {"kind": "experiment", "scenario": "maracay", "horizon": "5y", "reps": 10_000}
        endless = c.post("/api/jobs", json=request).json()["id"]
    with open_store(store_url) as store:  # the server has stopped
        assert store.job(endless).status == "cancelled"
        assert store.list_runs() == []


def test_errors_are_json_messages_and_unexpected_ones_hide_their_trace(store_url: str) -> None:
    app = create_app(store_url)

    class Broken:
        def list_runs(self) -> None:
            raise RuntimeError("secret detail of a defect")

    app.state.store = Broken()
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as c:
        answer = c.get("/api/results")
        assert answer.status_code == 500
        assert answer.json() == {"detail": "internal error"}
        assert "secret" not in answer.text
        missing = c.get("/api/no-such-route")
        assert missing.status_code == 404 and set(missing.json()) == {"detail"}
        wrong = c.post("/api/validate", json={"source": 5})
        assert wrong.status_code == 422 and re.search(r"source", _detail(wrong))


def test_the_openapi_schema_describes_every_api_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    routes = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert all(path.startswith("/api/") for path, _ in routes)
    expected = {
        ("/api/scenarios", "get"), ("/api/scenarios/{name}", "get"),
        ("/api/scenarios/{name}", "put"), ("/api/scenarios/{name}", "delete"),
        ("/api/validate", "post"), ("/api/form", "post"), ("/api/form-fields", "get"),
        ("/api/jobs", "post"), ("/api/jobs", "get"), ("/api/jobs/{job_id}", "get"),
        ("/api/jobs/{job_id}/cancel", "post"), ("/api/results", "get"),
        ("/api/results/{result_id}", "get"), ("/api/results/{result_id}", "patch"),
        ("/api/results/{result_id}", "delete"), ("/api/results/{result_id}/report", "get"),
        ("/api/results/{result_id}/export", "get"), ("/api/compare", "get"),
    }  # fmt: skip
    assert routes == expected
    for path, method in routes:
        responses = schema["paths"][path][method]["responses"]
        assert {"404", "422", "413"} <= set(responses), (path, method)
