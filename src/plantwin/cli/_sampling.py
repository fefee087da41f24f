"""``plantwin sampling``: acceptance sampling plans, OC curves and plan design from the shell.

Parsing and rendering only; every number comes from :mod:`plantwin.sampling`. Bad values are
reported on stderr through :func:`plantwin.cli._common.fail` (exit code 2).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from plantwin.cli._common import fail, make_console, print_json
from plantwin.sampling import (
    INSPECTIONS,
    LEVELS,
    MODELS,
    SCHEMES,
    SamplingError,
    aoq,
    aoql,
    ati,
    consumers_risk,
    design_plan,
    normalize_aql,
    oc_curve,
    p_at_pa,
    plan,
    producers_risk,
)

__all__ = ["app"]

app = typer.Typer(
    name="sampling",
    help="Acceptance sampling (ISO 2859-1 / ANSI Z1.4 / MIL-STD-105E single sampling).",
    no_args_is_help=True,
)

_TABLE_POINTS = 21
_SUMMARY_PA = (0.95, 0.50, 0.10)


def _number(text: str, option: str, unit: str) -> float:
    """A finite number given on the command line, with an optional trailing ``%``."""
    raw = text.strip().removesuffix("%").strip()
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        fail(f"{option} {text!r} is not a number; give {unit}")
    return value


_PERCENT = "a percent nonconforming as the standard writes it (0.65 means 0.65 %)"


def _fraction(text: str, option: str) -> float:
    """A probability given as a fraction ("0.05") or a percent ("5%")."""
    value = _number(text, option, "a fraction (0.05) or a percent (5%)")
    return value / 100.0 if text.strip().endswith("%") else value


def _aql_hint(aql: float) -> str:
    """A hint when an AQL that is not in the standard looks like a fraction of one that is."""
    try:
        key = normalize_aql(aql * 100)
    except SamplingError:
        return ""
    return f"; the AQL is a percent, as the standard writes it: did you mean --aql {key}?"


@app.command("plan")
def plan_command(
    lot_size: Annotated[int, typer.Option("--lot-size", help="Lot size N (items).")],
    aql: Annotated[str, typer.Option("--aql", help="AQL in percent, as printed: e.g. 0.65.")],
    level: Annotated[
        str, typer.Option("--level", help=f"Inspection level: {', '.join(LEVELS)}.")
    ] = "II",
    inspection: Annotated[
        str, typer.Option("--inspection", help=f"Severity: {', '.join(INSPECTIONS)}.")
    ] = "normal",
    scheme: Annotated[
        str, typer.Option("--scheme", help=f"Reduced table: {', '.join(SCHEMES)}.")
    ] = "iso2859-1",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Show the single sampling plan (code letter, n, Ac, Re) for a lot."""
    percent = _number(aql, "--aql", _PERCENT)
    try:
        chosen = plan(lot_size, percent, level=level, inspection=inspection, scheme=scheme)
    except SamplingError as exc:
        fail(f"{exc}{_aql_hint(percent)}")
    data: dict[str, Any] = {
        "lot_size": chosen.lot_size,
        "aql": chosen.aql,
        "level": chosen.level,
        "inspection": chosen.inspection,
        "scheme": chosen.scheme,
        "code_letter": chosen.code_letter,
        "n": chosen.n,
        "ac": chosen.ac,
        "re": chosen.re,
        "hundred_percent": chosen.hundred_percent,
    }
    if as_json:
        print_json(data)
        return
    table = Table(title=f"{chosen.scheme} single sampling, {chosen.inspection} inspection")
    for column in ("lot size", "level", "AQL %", "code letter", "n", "Ac", "Re"):
        table.add_column(column, justify="right")
    table.add_row(
        str(chosen.lot_size),
        chosen.level,
        chosen.aql,
        chosen.code_letter,
        str(chosen.n),
        str(chosen.ac),
        str(chosen.re),
    )
    console = make_console()
    console.print(table)
    if chosen.hundred_percent:
        console.print("The sample size reaches the lot size: inspect every item (100 %).")


def _write_plot(
    path: Path, n: int, ac: int, lot_size: int | None, model: str, p_max: float
) -> None:
    """Write the OC plot (Pa, and the AOQ with a lot size; AQL, LTPD, AOQL marked) as one
    offline HTML page in the report's style."""
    from plantwin.report import oc_figure, write_oc_plot

    fig = oc_figure(n, ac, lot_size=lot_size, model=model, p_max=p_max)
    try:
        write_oc_plot(path, fig)
    except OSError as exc:
        fail(f"cannot write the plot to {path}: {exc.strerror or exc}")


@app.command("oc")
def oc_command(
    n: Annotated[int, typer.Option("--n", help="Sample size n.")],
    ac: Annotated[int, typer.Option("--ac", help="Acceptance number Ac.")],
    lot_size: Annotated[
        int | None, typer.Option("--lot-size", help="Lot size N: adds AOQ, ATI and AOQL.")
    ] = None,
    model: Annotated[
        str, typer.Option("--model", help=f"Probability model: {', '.join(MODELS)}.")
    ] = "binomial",
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the OC curve to this HTML file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Show the operating characteristic of a plan (n, Ac): Pa, AOQ and ATI over quality p."""
    try:
        curve = oc_curve(n, ac, points=_TABLE_POINTS, lot_size=lot_size, model=model)
        summary = {
            f"p_at_pa_{pa:.2f}": p_at_pa(n, ac, pa, lot_size=lot_size, model=model)
            for pa in _SUMMARY_PA
        }
        outgoing = ati_values = None
        if lot_size is not None:
            outgoing = aoq(n, ac, curve.p, lot_size, model=model)
            ati_values = ati(n, ac, curve.p, lot_size, model=model)
            limit = aoql(n, ac, lot_size, model=model)
            summary["aoql"] = limit.aoql
            summary["aoql_at_p"] = limit.p
    except SamplingError as exc:
        fail(str(exc))
    rows: list[dict[str, float]] = []
    for i, p in enumerate(curve.p):
        row = {"p": float(p), "pa": float(curve.pa[i])}
        if outgoing is not None and ati_values is not None:
            row["aoq"] = float(outgoing[i])
            row["ati"] = float(ati_values[i])
        rows.append(row)
    if plot is not None:
        _write_plot(plot, n, ac, lot_size, model, float(curve.p[-1]))
    if as_json:
        print_json(
            {"n": n, "ac": ac, "lot_size": lot_size, "model": model, "points": rows, **summary}
        )
        if plot is not None:
            typer.echo(str(plot), err=True)
        return
    console = make_console()
    table = Table(title=f"OC of n = {n}, Ac = {ac} ({model})", caption="p: fraction nonconforming")
    columns = ["p", "p %", "Pa"] + (["AOQ %", "ATI"] if lot_size is not None else [])
    for column in columns:
        table.add_column(column, justify="right")
    for row in rows:
        cells = [f"{row['p']:.5f}", f"{row['p'] * 100:.3f}", f"{row['pa']:.4f}"]
        if "aoq" in row:
            cells += [f"{row['aoq'] * 100:.4f}", f"{row['ati']:.1f}"]
        table.add_row(*cells)
    console.print(table)
    for pa in _SUMMARY_PA:
        p = summary[f"p_at_pa_{pa:.2f}"]
        console.print(f"Pa = {pa:.2f} at p = {p:.5f} ({p * 100:.3f} %)")
    if lot_size is not None:
        console.print(
            f"AOQL = {summary['aoql'] * 100:.4f} % at p = {summary['aoql_at_p'] * 100:.3f} %"
        )
    if plot is not None:
        console.print(f"plot written to {plot}")


@app.command("design")
def design_command(
    aql: Annotated[
        str, typer.Option("--aql", help="Good quality in percent nonconforming: 0.65 = 0.65 %.")
    ],
    alpha: Annotated[str, typer.Option("--alpha", help="Producer's risk at the AQL (0.05).")],
    ltpd: Annotated[
        str, typer.Option("--ltpd", help="Bad quality in percent nonconforming: 5 = 5 %.")
    ],
    beta: Annotated[str, typer.Option("--beta", help="Consumer's risk at the LTPD (0.10).")],
    model: Annotated[
        str, typer.Option("--model", help=f"Probability model: {', '.join(MODELS)}.")
    ] = "binomial",
    lot_size: Annotated[
        int | None, typer.Option("--lot-size", help="Lot size (hypergeometric model).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Design the smallest single sampling plan meeting a producer's and a consumer's risk.

    The AQL and the LTPD are percents, as in ``sampling plan`` and the scenario's
    ``range.sampling.aql``; the risks are probabilities.
    """
    aql_pct = _number(aql, "--aql", _PERCENT)
    ltpd_pct = _number(ltpd, "--ltpd", _PERCENT)
    if not 0 < aql_pct < ltpd_pct < 100:
        fail(
            f"--aql {aql} and --ltpd {ltpd}: need 0 < AQL < LTPD < 100, in percent "
            "nonconforming (0.65 means 0.65 %)"
        )
    p_good, p_bad = aql_pct / 100.0, ltpd_pct / 100.0
    risk_a = _fraction(alpha, "--alpha")
    risk_b = _fraction(beta, "--beta")
    try:
        n, ac = design_plan(p_good, risk_a, p_bad, risk_b, model, lot_size=lot_size)
        achieved_a = producers_risk(n, ac, p_good, lot_size=lot_size, model=model)
        achieved_b = consumers_risk(n, ac, p_bad, lot_size=lot_size, model=model)
    except SamplingError as exc:
        fail(f"{exc} (--aql {aql} and --ltpd {ltpd} are percents: 0.65 means 0.65 %)")
    if as_json:
        print_json(
            {
                "n": n,
                "ac": ac,
                "re": ac + 1,
                "aql": aql_pct,
                "ltpd": ltpd_pct,
                "alpha": risk_a,
                "beta": risk_b,
                "producers_risk": achieved_a,
                "consumers_risk": achieved_b,
                "model": model,
            }
        )
        return
    table = Table(title=f"Designed plan ({model})")
    for column in ("n", "Ac", "Re", "producer's risk", "consumer's risk"):
        table.add_column(column, justify="right")
    table.add_row(
        str(n),
        str(ac),
        str(ac + 1),
        f"{achieved_a:.4f} (<= {risk_a:g} at AQL {aql_pct:g} %)",
        f"{achieved_b:.4f} (<= {risk_b:g} at LTPD {ltpd_pct:g} %)",
    )
    make_console().print(table)
