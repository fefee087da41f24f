"""The CLI in a real terminal (a pseudo-terminal): the progress bar, and Ctrl-C.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group, the workers of an
experiment included; the test does the same with ``killpg``. No step assumes how fast this
machine is: each waits for what it needs to see, under a generous deadline.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from plantwin.results import open_store
from plantwin.scenario import parse_scenario
from plantwin.sim import simulate

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

PLANTWIN = str(Path(sys.executable).with_name("plantwin"))
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
DEADLINE = 120.0  # seconds to wait for something to appear: far beyond any machine's need


def _default_sigint() -> None:
    """Ctrl-C as a shell's foreground job gets it: a test suite started in the background (as
    ``cmd &`` in a script) hands its children SIGINT ignored, and Python then keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """A command whose stderr is a pseudo-terminal (so Rich draws its progress bar), in a
    process group of its own, as a shell runs a foreground job."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
        env.pop("PLANTWIN_DB", None)
        self.stdout = (cwd / "stdout.txt").open("w+b")
        self.proc = subprocess.Popen(
            [PLANTWIN, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=self.stdout, stderr=slave, start_new_session=True,
            preexec_fn=_default_sigint,
        )  # fmt: skip
        os.close(slave)
        self.master = master
        self.seen = b""

    def read(self, timeout: float) -> bool:
        """Read what the terminal shows within ``timeout`` s; False once it is closed."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every writer has gone
            return False
        self.seen += chunk
        return bool(chunk)

    def wait_for(self, found: Callable[[str], bool]) -> None:
        """Read on until ``found`` holds for what the terminal shows."""
        end = time.monotonic() + DEADLINE
        while not found(self.text()):
            assert time.monotonic() < end, f"not seen within {DEADLINE} s:\n{self.text()}"
            assert self.read(0.5), f"the command ended first:\n{self.text()}"

    def wait_exit(self) -> int:
        """Read on (a full terminal would stall the command) until it exits; its exit code."""
        end = time.monotonic() + DEADLINE
        while self.proc.poll() is None:
            assert time.monotonic() < end, f"still running after {DEADLINE} s"
            self.read(0.05)
        return self.proc.returncode

    def drain(self) -> None:
        """Read what is left, until every process writing to the terminal is gone."""
        end = time.monotonic() + DEADLINE
        while self.read(0.5):
            assert time.monotonic() < end, "the terminal is still being written to"

    def text(self) -> str:
        return ANSI.sub(b"", self.seen).decode("utf-8", errors="replace")


@contextmanager
def terminal(args: list[str], cwd: Path) -> Iterator[Terminal]:
    t = Terminal(args, cwd)
    try:
        yield t
    finally:
        if t.proc.poll() is None:
            os.killpg(t.proc.pid, signal.SIGKILL)
            t.proc.wait()
        os.close(t.master)
        t.stdout.close()


def _group_gone(pgid: int) -> bool:
    """True once no process of the group is left (the workers included), within the deadline."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_the_progress_bar_prints_the_plant_name_literally(tmp_path: Path, small_toml: str) -> None:
    name = "[/] [bold]x :100:"
    toml = small_toml.replace('name = "small test plant"', f"name = {json.dumps(name)}")
    (tmp_path / "plant.toml").write_text(toml, encoding="utf-8")
    with terminal(["run", "plant.toml", "--horizon", "1y", "--no-save"], tmp_path) as t:
        code = t.wait_exit()
        t.drain()
        shown = t.text()
    assert code == 0, shown
    assert f"simulating {name}" in shown  # the bar's description, as written
    assert "Traceback" not in shown and "\U0001f4af" not in shown


def test_one_ctrl_c_stops_an_experiment_at_once(tmp_path: Path, small_toml: str) -> None:
    db = tmp_path / "runs.db"
    earlier_run = simulate(parse_scenario(small_toml), seed=2, horizon="1d")
    with open_store(str(db)) as store:
        earlier = store.save_run(earlier_run)
    # five years of the built-in plant, 1,000 times: the first of 16 chunks comes back long
    # before the last, however fast the engine (with 1 year it ran out before the Ctrl-C)
    args = ["experiment", "--reps", "1000", "--horizon", "5y", "--workers", "2", "--db", str(db)]
    with terminal(args, tmp_path) as t:
        # running for real: replications have come back from the workers
        t.wait_for(lambda text: any(int(k) > 0 for k in re.findall(r"(\d+)/1000 replic", text)))
        sent = time.monotonic()
        os.killpg(t.proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        code = t.wait_exit()
        took = time.monotonic() - sent
        print(f"exit {code} {took:.2f} s after SIGINT (the spec: 2 s)")  # noqa: T201 (pytest -s)
        t.drain()
        assert _group_gone(t.proc.pid), "worker processes are still running"
        shown = t.text()
    assert code == 130, shown
    assert took < 10.0, f"took {took:.1f} s to stop"
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown, shown
    lines = [line.strip() for line in re.split(r"[\r\n]+", shown) if line.strip()]
    assert lines[-1] == "interrupted: the experiment was stopped; nothing was saved", lines[-3:]
    assert sum("interrupted" in line for line in lines) == 1
    with open_store(str(db), create=False) as store:  # nothing half saved, the rest intact
        assert [i.id for i in store.list_runs()] == [earlier]
        assert store.load(earlier).kpis == earlier_run.kpis
