"""Rich rendering of a run's KPIs: what ``plantwin run`` shows a person."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from plantwin.cli._common import literal
from plantwin.cli._format import millions as _m
from plantwin.cli._format import note
from plantwin.cli._format import number as _n
from plantwin.cli._format import percent as _pct
from plantwin.sim import LINE_STATES

__all__ = ["WIDTH", "fit", "render_summary"]


def _bold(*cells: str) -> list[Text]:
    return [Text(cell, style="bold") for cell in cells]


WIDTH = 80
"""Columns every table is laid out for, whatever the terminal: output to a file reads the same."""


def fit(title: str, head: str, rows: dict[str, list[str]], columns: list[str]) -> list[Table]:
    """A table of ``rows`` (first cell ``head``) by ``columns``, split into as many tables of
    the same rows as it takes for each to fit :data:`WIDTH` (8 stations x 9 states would not)."""
    first = max(len(head), *(len(r) for r in rows)) + 4  # the border and padding of a column
    widths = [max(len(c), *(len(v[i]) for v in rows.values())) + 3 for i, c in enumerate(columns)]
    groups: list[list[int]] = [[]]
    used = first
    for i, w in enumerate(widths):
        if groups[-1] and used + w > WIDTH:
            groups.append([])
            used = first
        groups[-1].append(i)
        used += w
    tables = []
    for n, group in enumerate(groups):
        t = Table(title=title if n == 0 else None, title_justify="left")
        t.add_column(head, no_wrap=True)
        for i in group:
            t.add_column(columns[i], justify="right", no_wrap=True)
        for name, values in rows.items():
            t.add_row(name, *(values[i] for i in group))
        tables.append(t)
    return tables


def _output(k: dict[str, Any]) -> tuple[Table, list[str]]:
    """Units made and into storage, with the outgoing quality of what passed inspection; the
    notes that explain them."""
    out = k["output"]
    t = Table(title=f"Output ({k['unit']})", title_justify="left", expand=False)
    for col in ("product / line", "made", "stored", "defectives passed", "outgoing defective"):
        t.add_column(col, justify="right" if col != "product / line" else "left", no_wrap=True)
    for p, v in out["by_product"].items():
        t.add_row(
            p, _m(v["units_made"]), _m(v["units_stored"]), _n(v.get("defectives_passed")),
            _pct(v.get("outgoing_defective_fraction"), 3),
        )  # fmt: skip
    t.rows[-1].end_section = True
    for line_id, v in k["lines"].items():
        t.add_row(line_id, _m(v["units_made"]), _m(v["units_stored"]), "", "")
    t.rows[-1].end_section = True
    t.add_row(
        *_bold("total", _m(out["units_made"]), _m(out["units_stored"]),
               _n(out.get("defectives_passed")), _pct(out.get("outgoing_defective_fraction"), 3))
    )  # fmt: skip
    notes = [
        "stored: units into storage; outgoing defective = defectives in lots that passed "
        "inspection / their units (into storage or held on a lane)"
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
    return t, notes


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


def _hours(x: float | None) -> str:
    return "-" if x is None else f"{x:,.1f} h"


def _iso22400(k: dict[str, Any]) -> Table | None:
    """The plant's ISO 22400-2 KPIs (its stations summed), in pairs to fit 80 columns."""
    p = k.get("iso22400", {}).get("plant")
    if p is None:  # a run stored before plantwin computed them
        return None
    cells = [
        ("OEE index", _pct(p["oee_index"])),
        ("NEE index", _pct(p["nee_index"])),
        ("availability", _pct(p["availability"])),
        ("effectiveness", _pct(p["effectiveness"])),
        ("quality ratio", _pct(p["quality_ratio"])),
        ("setup ratio", _pct(p["setup_ratio"])),
        ("technical efficiency", _pct(p["technical_efficiency"])),
        ("allocation efficiency", _pct(p["allocation_efficiency"])),
        ("production process ratio", _pct(p["production_process_ratio"])),
        (f"throughput rate ({literal(k['unit'])}/h)", _n(p["throughput_rate"])),
        ("scrap ratio", _pct(p["scrap_ratio"], 2)),
        ("first-pass yield", _pct(p["first_pass_yield"])),
        ("MTBF (producing hours)", _hours(p["mtbf_hours"])),
        ("MTTR (failure to repaired)", _hours(p["mttr_hours"])),
    ]
    t = Table(title="Plant: ISO 22400-2 KPIs", title_justify="left", show_header=False)
    for justify in ("left", "right", "left", "right"):
        t.add_column(justify=justify)
    for i in range(0, len(cells), 2):
        t.add_row(*cells[i], *cells[i + 1])
    return t


def _states(k: dict[str, Any]) -> list[Table]:
    states = [s for s in LINE_STATES if any(v["hours"][s] for v in k["lines"].values())]
    rows = {line_id: [_n(v["hours"][s], 1) for s in states] for line_id, v in k["lines"].items()}
    columns = [s.replace("_", " ") for s in states]
    return fit("Lines: hours in each state", "line", rows, columns)


def _range(k: dict[str, Any]) -> tuple[Table, Table, str]:
    """Lots tested per product; lots and days in each inspection state, a row per (product,
    state); the units sampled and scrapped."""
    r = k["range"]
    t = Table(title="Test range", title_justify="left")
    cols = ("product", "lots tested", "accepted", "rejected", "switches", "inspection now")
    for col in cols:
        t.add_column(col, justify="left" if col in (cols[0], cols[-1]) else "right")
    for p, v in r["by_product"].items():
        t.add_row(
            p, str(v["lots_tested"]), str(v["lots_accepted"]), str(v["lots_rejected"]),
            str(v["switches"]), v["inspection_state"],
        )  # fmt: skip
    t.add_row(
        _bold("total")[0], str(r["lots_tested"]), str(r["lots_accepted"]), str(r["lots_rejected"]),
        str(sum(v["switches"] for v in r["by_product"].values())), "",
    )  # fmt: skip
    s = Table(title="Test range: inspection states", title_justify="left")
    for col in ("product / state", "lots tested", "days"):
        s.add_column(col, justify="right" if col != "product / state" else "left")
    products = list(r["by_product"].items())
    for n, (p, v) in enumerate(products):
        hours = v["inspection_hours"]
        spells = [st for st in v["inspection_lots"] if v["inspection_lots"][st] or hours.get(st)]
        s.add_row(Text(p, style="bold"))
        for i, state in enumerate(spells):
            s.add_row(
                f"  {state}", str(v["inspection_lots"][state]), _n(hours.get(state, 0) / 24),
                end_section=i == len(spells) - 1 and n < len(products) - 1,
            )  # fmt: skip
    return t, s, f"samples destroyed {_n(r['units_sampled'])}; scrapped {_n(r['units_scrapped'])}"


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
    output, notes = _output(k)
    console.print(output)
    for line in notes:
        note(console, line)
    commissioning = _commissioning(k)
    if commissioning is not None:
        console.print(commissioning)
    console.print(Group(_lines(k), *_states(k)))
    iso = _iso22400(k)
    if iso is not None:
        console.print(iso)
    tested, states, sampled = _range(k)
    console.print(tested)
    note(console, sampled)
    console.print(Group(states, _stock_orders(k)))
    note(console, check)
