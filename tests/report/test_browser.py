"""The report opened in a real browser (Debian's headless Chromium through Playwright): it
loads offline without errors, draws every chart, and its screenshot is not blank.

Skipped on a laptop without /usr/bin/chromium; in CI (CI=true) its absence fails.
Never ``playwright install``: browser downloads are not possible here, Debian's build is used.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from plantwin.report import write_report
from plantwin.results import StoredRun
from plantwin.scenario import builtin
from plantwin.sim import simulate

SHOTS = os.environ.get("PLANTWIN_SCREENSHOTS")  # a folder to keep the screenshots in, to look at


def open_report(browser: Any, path: Path, charts: int) -> tuple[Any, list[str]]:
    """The page of the report once every chart is drawn, and every problem seen meanwhile."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def only_the_file(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:  # offline means offline: anything fetched from elsewhere is a problem
            problems.append(f"request: {route.request.url}")
            route.abort()

    page.route("**/*", only_the_file)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
        timeout=30_000,
    )
    return page, problems


DRAWN = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => {
  // a heatmap is drawn as an image (.hm), every other trace as SVG paths (.trace)
  const traces = el.querySelectorAll('.main-svg .trace, .main-svg .hm').length;
  const shapes = Array.from(el.querySelectorAll('.main-svg .trace path'))
    .filter(p => (p.getAttribute('d') || '').length > 10).length
    + Array.from(el.querySelectorAll('.main-svg .hm image'))
    .filter(i => (i.getAttribute('href') || '').length > 100).length;
  const box = el.getBoundingClientRect();
  return {id: el.id, traces, shapes, width: box.width, height: box.height,
          title: (el.querySelector('.gtitle') || {}).textContent || ''};
})
"""


def check_charts(page: Any, expected: int) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = page.evaluate(DRAWN)
    assert len(charts) == expected
    for chart in charts:
        assert chart["traces"] >= 1, chart
        assert chart["shapes"] >= 1, chart  # bars, lines or boxes actually drawn
        assert chart["width"] > 300 and chart["height"] >= 200, chart
        assert chart["title"], chart
    return charts


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, raw pixels) of an 8-bit RGB/RGBA PNG; stdlib and numpy.

    Rows filtered with None, Sub or Up are undone with numpy, Average and Paeth byte by byte.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, bpp = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride = zlib.decompress(idat), width * bpp
    rows = np.frombuffer(raw, np.uint8).reshape(height, stride + 1).astype(np.int64)
    out = np.zeros((height, stride), np.int64)
    prev = np.zeros(stride, np.int64)
    for y in range(height):
        f, line = rows[y, 0], rows[y, 1:].copy()
        if f == 1:
            line = line.reshape(-1, bpp).cumsum(axis=0).ravel() & 255
        elif f == 2:
            line = (line + prev) & 255
        elif f in (3, 4):
            cur, up = line.tolist(), prev.tolist()
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                b, c = up[i], up[i - bpp] if i >= bpp else 0
                if f == 3:
                    cur[i] = (cur[i] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            line = np.asarray(cur, np.int64)
        out[y] = prev = line
    return width, height, bpp, out.astype(np.uint8).tobytes()


def check_not_blank(png: bytes, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / f"{name}.png").write_bytes(png)
    width, height, bpp, pixels = png_pixels(png)
    assert width == 1280 and height > 900
    step = 7  # a sample of pixels is plenty
    colours = {pixels[i : i + 3] for i in range(0, len(pixels) - 3, bpp * step)}
    light = sum(1 for i in range(0, len(pixels) - 3, bpp * step) if min(pixels[i : i + 3]) > 235)
    sampled = len(range(0, len(pixels) - 3, bpp * step))
    assert len(colours) > 50, "too few colours: a blank or broken page"
    assert light / sampled < 0.95, "almost everything is white"


def test_png_reader_on_a_known_image() -> None:
    """The tiny PNG reader itself: a 2x3 RGB image written by hand, one filter type per row."""
    want = [[10, 20, 30, 40, 50, 60], [15, 25, 35, 45, 55, 65], [1, 2, 3, 200, 100, 50]]

    def paeth(a: int, b: int, c: int) -> int:
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        return a if pa <= pb and pa <= pc else b if pb <= pc else c

    def filtered(kind: int, row: list[int], up: list[int]) -> bytes:
        left = [0, 0, 0, *row[:-3]]
        upleft = [0, 0, 0, *up[:-3]]
        pred = {
            1: left,
            2: up,
            3: [(a + b) // 2 for a, b in zip(left, up, strict=True)],
            4: [paeth(a, b, c) for a, b, c in zip(left, up, upleft, strict=True)],
        }[kind]
        return bytes([kind, *((x - p) & 255 for x, p in zip(row, pred, strict=True))])

    rows = [
        filtered(1, want[0], [0] * 6),
        filtered(3, want[1], want[0]),
        filtered(4, want[2], want[1]),
    ]

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 3, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
    assert png_pixels(png) == (2, 3, 3, bytes([x for row in want for x in row]))


@pytest.fixture(scope="module")
def build_run() -> StoredRun:
    """The build of the Maracay plant: milestones, ramp-up, years without output."""
    return StoredRun.from_result(simulate(builtin("maracay-build"), seed=3))


RUN_CHARTS = [
    "chart-waterfall",
    "chart-monthly",
    "chart-output",
    "chart-states",
    "chart-pareto",
    "chart-heatmap",
    "chart-gantt",
    "chart-range",
    "chart-orders",
    "chart-storage",
]


@pytest.mark.parametrize(
    ("name", "charts"),
    [
        ("stored_run", RUN_CHARTS),
        ("build_run", [RUN_CHARTS[0], "chart-milestones", *RUN_CHARTS[1:]]),
    ],
)
def test_run_report_in_chromium(
    browser: Any, name: str, charts: list[str], request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    stored: StoredRun = request.getfixturevalue(name)
    path = write_report(stored, tmp_path / "run.html")
    page, problems = open_report(browser, path, len(charts))
    drawn = check_charts(page, len(charts))
    assert [c["id"] for c in drawn] == charts
    assert problems == []
    shot = "run-report" if name == "stored_run" else "build-run-report"
    check_not_blank(page.screenshot(full_page=True), shot)
    page.close()
