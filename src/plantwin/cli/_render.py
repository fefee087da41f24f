"""Rich rendering of a run's KPIs: what ``plantwin run`` shows a person."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from plantwin.cli._common import literal
from plantwin.sim import LINE_STATES

__all__ = ["render_summary"]


def _n(x: float | None, digits: int = 0) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def _pct(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f} %"


def _m(x: float | None) -> str:
    return "-" if x is None else f"{x / 1e6:,.2f} M"


def _bold(*cells: str) -> list[Text]:
    return [Text(cell, style="bold") for cell in cells]


def _output(k: dict[str, Any]) -> Table:
    """Units made and into storage, with the outgoing quality of what passed inspection."""
    out = k["output"]
    t = Table(title=f"Output ({k['unit']})", title_justify="left", expand=False)
    for col in ("", "made", "into storage", "defectives passed", "outgoing defective"):
        t.add_column(col, justify="right" if col else "left")
    for p, v in out["by_product"].items():
        t.add_row(
            p, _m(v["units_made"]), _m(v["units_stored"]), _n(v.get("defectives_passed")),
            _pct(v.get("outgoing_defective_fraction"), 3),
        )  # fmt: skip
    for line_id, v in k["lines"].items():
        t.add_row(f"line {line_id}", _m(v["units_made"]), _m(v["units_stored"]), "", "")
    t.add_row(
        *_bold("total", _m(out["units_made"]), _m(out["units_stored"]),
               _n(out.get("defectives_passed")), _pct(out.get("outgoing_defective_fraction"), 3))
    )  # fmt: skip
    notes = [
        "outgoing defective = defectives in lots that passed inspection / their units "
        "(into storage or held on a lane)"
    ]
    if out["nameplate_units"]:
        notes.append(
            f"nameplate {_m(out['nameplate_per_year'])}/year = {_m(out['nameplate_units'])} "
            f"over this horizon; attainment {_pct(out['attainment'])}"
        )
    if out["nameplate_units"] and out["opening_hours"]:
        window = k["horizon_hours"] - out["opening_hours"]
        notes.append(
            f"from the opening on {out['opening_date']} ({_n(window)} h): "
            f"nameplate pace {_m(out.get('nameplate_units_from_opening'))}; "
            f"attainment {_pct(out.get('attainment_from_opening'))}"
        )
    t.caption = "\n".join(notes)
    return t


def _lines(k: dict[str, Any]) -> Table:
    t = Table(title="Lines: OEE", title_justify="left")
    t.add_column("line")
    for col in ("availability", "performance", "quality", "OEE", "failures"):
        t.add_column(col, justify="right")
    for line_id, v in k["lines"].items():
        t.add_row(
            line_id,
            _pct(v["availability"]),
            _pct(v["performance"]),
            _pct(v["quality"]),
            _pct(v["oee"]),
            str(v["failures"]),
        )
    return t


def _states(k: dict[str, Any]) -> Table:
    t = Table(title="Lines: hours in each state", title_justify="left")
    t.add_column("line")
    states = [s for s in LINE_STATES if any(v["hours"][s] for v in k["lines"].values())]
    for s in states:
        t.add_column(s.replace("_", " "), justify="right")
    for line_id, v in k["lines"].items():
        t.add_row(line_id, *(_n(v["hours"][s], 1) for s in states))
    return t


def _range(k: dict[str, Any]) -> Table:
    r = k["range"]
    t = Table(title="Test range", title_justify="left")
    cols = ("product", "lots tested", "accepted", "rejected", "switches", "lots by inspection",
            "days by inspection", "now")  # fmt: skip
    for col in cols:
        t.add_column(col, justify="right" if col in cols[1:5] else "left")
    for p, v in r["by_product"].items():
        lots = ", ".join(f"{s} {n}" for s, n in v["inspection_lots"].items())
        days = ", ".join(f"{s} {h / 24:.0f}" for s, h in v["inspection_hours"].items() if h > 0)
        t.add_row(
            p, str(v["lots_tested"]), str(v["lots_accepted"]), str(v["lots_rejected"]),
            str(v["switches"]), lots, days, v["inspection_state"],
        )  # fmt: skip
    t.add_row(
        _bold("total")[0], str(r["lots_tested"]), str(r["lots_accepted"]), str(r["lots_rejected"]),
        str(sum(v["switches"] for v in r["by_product"].values())), "", "", "",
    )  # fmt: skip
    t.caption = f"samples destroyed {_n(r['units_sampled'])}; scrapped {_n(r['units_scrapped'])}"
    return t


def _stock_orders(k: dict[str, Any]) -> Table:
    s, o, g = k["storage"], k["orders"], k["grid"]
    t = Table(title="Storage, orders, grid", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("value", justify="right")
    cap = "unlimited" if s["capacity"] is None else _m(s["capacity"])
    t.add_row(
        "storage min / mean / max / end",
        f"{_m(s['min'])} / {_m(s['mean'])} / {_m(s['max'])} / {_m(s['end'])}",
    )
    t.add_row("storage capacity", cap)
    t.add_row(
        "orders released / due / completed",
        f"{o['released']} / {o['due_in_horizon']} / {o['completed']}",
    )
    t.add_row("orders completed on time", str(o["completed_on_time"]))
    t.add_row("fill rate (on time, orders due)", _pct(o["fill_rate"]))
    if k["output"]["opening_hours"]:
        t.add_row("fill rate, orders since the opening", _pct(o.get("fill_rate_from_opening")))
    t.add_row("backorders at the horizon", _n(o["backorders"]))
    lead = o["lead_time_mean_hours"]
    longest = o["lead_time_max_hours"]
    t.add_row(
        "lead time mean / max",
        f"{_n(lead and lead / 24, 1)} d / {_n(longest and longest / 24, 1)} d",
    )
    t.add_row("power cuts / long standstills", f"{g['cuts']} / {g['standstills']}")
    t.add_row("hours without power", _n(g["hours_without_power"], 1))
    return t


def _commissioning(k: dict[str, Any]) -> Table | None:
    """When lines start during the run: their dates, the opening, the nameplate pace."""
    if not any(v["commissioned_hours"] for v in k["lines"].values()):
        return None
    out = k["output"]
    t = Table(title="Commissioning", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("when", justify="right")
    for line_id, v in k["lines"].items():
        t.add_row(
            f"line {line_id} commissioned", v["commissioned_date"] or "not within the horizon"
        )
    t.add_row("plant opening (first line)", out["opening_date"] or "not within the horizon")
    t.add_row("plant complete (all lines)", out["complete_date"] or "not within the horizon")
    share = out["nameplate_pace_share"]
    t.add_row(
        f"first 4 weeks at {_pct(share, 0)} of the nameplate pace",
        out["nameplate_pace_date"] or "not within the horizon",
    )
    first = out["first_year_units"]
    t.add_row(
        "output in the first year after opening", "incomplete" if first is None else _m(first)
    )
    return t


def render_summary(k: dict[str, Any], console: Console) -> None:
    """Print the run summary."""
    c = k["conservation"]
    worst = max(abs(v["difference"]) for v in c["by_product"].values())
    check = Text.assemble(
        ("conservation holds", "green") if c["ok"] else ("CONSERVATION BROKEN", "bold red"),
        f" (largest difference {worst:.3g} units)",
    )
    head = Text.assemble(
        (literal(k["scenario"]), "bold"),
        f"\n{k['start']} to {k['end']} ({_n(k['horizon_hours'])} h), "
        f"seed {k['seed']}; {k['engine']['events']:,} engine events",
    )
    console.print(Panel(head, expand=False))
    tables = [_output(k), _commissioning(k), _lines(k), _states(k), _range(k), _stock_orders(k)]
    console.print(Group(*(t for t in tables if t is not None)))
    console.print(check)
