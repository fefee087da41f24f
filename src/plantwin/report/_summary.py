"""The report's KPI tables: plain rows of text that the page template lays out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from plantwin.sim import LINE_STATES

__all__ = ["HtmlTable", "run_tables"]


@dataclass(frozen=True)
class HtmlTable:
    """A titled table; the first column is a label, the rest are right-aligned numbers."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    notes: list[str] = field(default_factory=list)


def _num(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{x:,.{digits}f}"


def _pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{100 * x:.{digits}f} %"


def _m(x: float | None) -> str:
    return "–" if x is None else f"{x / 1e6:,.2f} M"


def run_tables(k: dict[str, Any]) -> list[HtmlTable]:
    """The KPI summary of a run: output, OEE, states, range, storage/orders/grid."""
    out, r, s, o, g = k["output"], k["range"], k["storage"], k["orders"], k["grid"]
    by_product = [
        [
            p,
            _m(v["units_made"]),
            _m(v["units_stored"]),
            _num(v.get("defectives_passed")),
            _pct(v.get("outgoing_defective_fraction"), 3),
        ]
        for p, v in out["by_product"].items()
    ]
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
        notes.append(
            f"from the opening on {out['opening_date']} "
            f"({_num(k['horizon_hours'] - out['opening_hours'])} h): nameplate pace "
            f"{_m(out.get('nameplate_units_from_opening'))}; "
            f"attainment {_pct(out.get('attainment_from_opening'))}"
        )
    output = HtmlTable(
        f"Output ({k['unit']})",
        ["", "made", "into storage", "defectives passed", "outgoing defective"],
        by_product
        + [
            [f"line {n}", _m(v["units_made"]), _m(v["units_stored"]), "", ""]
            for n, v in k["lines"].items()
        ]
        + [
            [
                "total",
                _m(out["units_made"]),
                _m(out["units_stored"]),
                _num(out.get("defectives_passed")),
                _pct(out.get("outgoing_defective_fraction"), 3),
            ]
        ],
        caption="; ".join(notes),
    )
    oee = HtmlTable(
        "Stations: OEE",
        ["station", "availability", "performance", "quality", "OEE", "failures", "MTBF (h)"],
        [
            [
                n,
                _pct(v["availability"]),
                _pct(v["performance"]),
                _pct(v["quality"]),
                _pct(v["oee"]),
                str(v["failures"]),
                _num(v["hours"]["producing"] / v["failures"], 1) if v["failures"] else "–",
            ]
            for n, v in k["lines"].items()
        ],
        caption="MTBF = producing hours per failure",
    )
    states = [st for st in LINE_STATES if any(v["hours"][st] for v in k["lines"].values())]
    hours = HtmlTable(
        "Stations: hours in each state",
        ["station", *(st.replace("_", " ") for st in states)],
        [[n, *(_num(v["hours"][st], 1) for st in states)] for n, v in k["lines"].items()],
    )
    testing = HtmlTable(
        "Test range",
        ["product", "lots tested", "accepted", "rejected", "switches", "inspection now"],
        [
            [
                p,
                str(v["lots_tested"]),
                str(v["lots_accepted"]),
                str(v["lots_rejected"]),
                str(v["switches"]),
                v["inspection_state"],
            ]
            for p, v in r["by_product"].items()
        ],
        caption=f"samples destroyed {_num(r['units_sampled'])}; "
        f"scrapped {_num(r['units_scrapped'])}",
    )
    lead, longest = o["lead_time_mean_hours"], o["lead_time_max_hours"]
    other = HtmlTable(
        "Storage, orders, grid",
        ["", "value"],
        [
            [
                "storage min / mean / max / end",
                f"{_m(s['min'])} / {_m(s['mean'])} / {_m(s['max'])} / {_m(s['end'])}",
            ],
            ["storage capacity", "unlimited" if s["capacity"] is None else _m(s["capacity"])],
            [
                "orders released / due / completed",
                f"{o['released']} / {o['due_in_horizon']} / {o['completed']}",
            ],
            ["orders completed on time", str(o["completed_on_time"])],
            ["fill rate (on time, orders due)", _pct(o["fill_rate"])],
            *(
                [
                    [
                        "fill rate, orders since the opening",
                        _pct(o.get("fill_rate_from_opening")),
                    ]
                ]
                if out["opening_hours"]
                else []
            ),
            ["backorders at the horizon", _num(o["backorders"])],
            [
                "lead time mean / max",
                f"{_num(lead and lead / 24, 1)} d / {_num(longest and longest / 24, 1)} d",
            ],
            ["power cuts / long standstills", f"{g['cuts']} / {g['standstills']}"],
            ["hours without power", _num(g["hours_without_power"], 1)],
        ],
    )
    return [output, oee, hours, testing, other]
