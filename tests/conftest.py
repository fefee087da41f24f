"""Fixtures shared by the whole test suite: scenario texts to parse, edit and run.

Only add fixtures here; several test modules (and engineers) rely on the ones below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plantwin.scenario import builtin_text

SMALL_TOML = """\
# A tiny plant for tests: one product, one line, one lane, running around the clock.
[plant]
name = "small test plant"
start = 2025-01-06
horizon = "7d"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[lines]]
id = "L1"
products = ["a"]
rate = 100
lot_size = 100

[range]
lanes = 1
test_time = { dist = "constant", value = 1 }

[range.sampling]
plan = { n = 5, ac = 0, re = 1 }

[buffer]
lots = 2
"""


@pytest.fixture
def maracay_text() -> str:
    """The TOML text of the built-in ``maracay`` scenario, comments included."""
    return builtin_text("maracay")


@pytest.fixture
def small_toml() -> str:
    """A tiny valid scenario: product ``a`` made on line ``L1`` (100 units/h, lots of 100),
    24/7 calendar, 7-day horizon from Monday 2025-01-06, one range lane testing each lot in
    1 h with the fixed plan n=5, Ac=0, Re=1, a buffer of 2 lots, no grid events, no demand."""
    return SMALL_TOML


@pytest.fixture(autouse=True)
def results_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands save runs and experiments: into a store in tmp_path, never ./plantwin.db."""
    db = tmp_path / "results.db"
    monkeypatch.setenv("PLANTWIN_DB", f"sqlite:///{db}")
    return db


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_toml: str, results_store: Path
) -> Path:
    """A working directory with small.toml, and PLANTWIN_DB unset: the default store is ./."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANTWIN_DB", raising=False)
    (tmp_path / "small.toml").write_text(small_toml, encoding="utf-8")
    return tmp_path


CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: the browser tests never download one (``playwright install`` fails here)."""
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright; skipped on a machine without it, but
    with CI=true its absence fails."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing (.ci/run installs chromium)")
        pytest.skip(f"no {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()
