"""Scenario format 2, the plant as a network: what it means, how it is checked, what runs now.

A format 2 file of format 1's shape (produce stations, one test station reading a buffer in
lots, storage, one routing) loads as the format 1 scenario it describes; every other network is
valid as a network but refused for running, one problem per feature, until the engine runs it.
"""

from __future__ import annotations

import pytest

from plantwin.scenario import (
    Network,
    Scenario,
    ScenarioError,
    builtin,
    builtin_names,
    network_toml,
    network_warnings,
    parse_network,
    parse_scenario,
    to_network,
)
from plantwin.sim import simulate

# conftest's SMALL_TOML plant written by hand in format 2
NET = """\
format = 2

[plant]
name = "small test plant"
start = 2025-01-06
horizon = "7d"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[stations]]
id = "L1"
role = "produce"
products = ["a"]
rate = 100
lot_size = 100

[[stations]]
id = "T"
role = "test"
test_time = { dist = "constant", value = 1 }
sampling = { plan = { n = 5, ac = 0, re = 1 } }

[[buffers]]
id = "queue"
lots = 2

[[routings]]
products = ["a"]
stages = [
    { stations = ["L1"] },
    { buffer = "queue", stations = ["T"] },
]
"""

# an assembly plant: parts a and b made apart, assembled 1:2 into c, tested, stored
ASSEMBLY = """\
format = 2

[plant]
start = 2025-01-06
horizon = "7d"

[[products]]
id = "a"

[[products]]
id = "b"

[[products]]
id = "c"

[[stations]]
id = "Pa"
role = "produce"
products = ["a"]
rate = 100
lot_size = 100
crew = "fixers"

[[stations]]
id = "Pb"
role = "produce"
products = ["b"]
rate = 200
lot_size = 100

[[stations]]
id = "A"
role = "assemble"
products = ["c"]
rate = 50
lot_size = 50

[[stations]]
id = "T"
role = "test"
test_time = { dist = "constant", value = 1 }
sampling = { plan = { n = 5, ac = 0, re = 1 } }

[[buffers]]
id = "parts"
units = 1000

[[buffers]]
id = "final"
lots = 2

[[routings]]
products = ["a", "b"]
stages = [{ stations = ["Pa", "Pb"] }]
to = "parts"

[[routings]]
products = ["c"]
stages = [
    { buffer = "parts", stations = ["A"] },
    { buffer = "final", stations = ["T"] },
]

[[bom]]
product = "c"
components = [{ product = "a", units = 1 }, { product = "b", units = 2 }]

[[crews]]
id = "fixers"
count = 1
"""


def problems(text: str, *, run: bool = False) -> list[str]:
    """Every problem of ``text`` as ``file:line: field: message (got value)``."""
    with pytest.raises(ScenarioError) as info:
        (parse_scenario if run else parse_network)(text, "net.toml")
    return str(info.value).splitlines()


def one(text: str, *, run: bool = False) -> str:
    found = problems(text, run=run)
    assert len(found) == 1, found
    return found[0]


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The line number of the ``nth`` line of ``text`` that contains ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth]


# --- format 1's shape runs --------------------------------------------------------------------


def test_the_hand_written_network_is_format_1s_small_plant(small_toml: str) -> None:
    net = parse_scenario(NET)
    assert isinstance(net, Network)  # a format 2 file loads as the network it is
    renamed = network_toml(net).replace('"T"', '"range"').replace('"queue"', '"buffer"')
    renamed = renamed.replace('role = "test"\n', 'role = "test"\nlanes = 1\n')  # format 1's
    assert parse_network(renamed) == to_network(parse_scenario(small_toml))


def test_format_1_may_say_so(small_toml: str) -> None:
    assert parse_scenario("format = 1\n" + small_toml) == parse_scenario(small_toml)


FORMAT_1 = [n for n in builtin_names() if isinstance(builtin(n), Scenario)]


@pytest.mark.parametrize("name", FORMAT_1)
def test_every_format_1_builtin_converts_to_its_network_and_its_file(name: str) -> None:
    s = builtin(name)
    assert isinstance(s, Scenario)
    net = to_network(s)
    assert [x.role for x in net.stations] == ["produce"] * len(s.lines) + ["test"]
    assert [b.lots for b in net.buffers] == [s.buffer.lots]
    assert len(net.routings) == 1 and net.routings[0].to is None
    assert parse_scenario(network_toml(net)) == net


def test_the_assembly_builtin_is_a_network() -> None:
    net = builtin("assembly")
    assert isinstance(net, Network)
    assert {s.role for s in net.stations} == {"produce", "process", "assemble", "test"}
    assert net.bom and net.crews


def test_the_default_network_names_the_range_apart_from_the_lines(small_toml: str) -> None:
    text = small_toml.replace('id = "L1"', 'id = "range"').replace('"L1"', '"range"')
    net = to_network(parse_scenario(text))
    assert [s.id for s in net.stations] == ["range", "range-2"]
    assert net.routings[0].stages[1].stations == ["range-2"]


def test_a_network_of_format_1s_shape_runs_as_format_1_does(small_toml: str) -> None:
    """The same run but for the names of the test station (T, format 1's range) and the
    buffer (queue, format 1's buffer)."""
    a = simulate(parse_scenario(NET), 5)
    b = simulate(parse_scenario(small_toml), 5)
    names = {"T": "range", "queue": "buffer"}
    for key in ("testers", "buffers"):
        a.kpis[key] = {names[k]: v for k, v in a.kpis[key].items()}
    assert a.kpis == b.kpis
    ours, theirs = a.events().to_pylist(), b.events().to_pylist()
    for row in ours:
        for column in ("object_id", "related"):
            row[column] = names.get(row[column], row[column])
    assert ours == theirs


def test_a_format_2_file_round_trips_through_its_network() -> None:
    net = parse_network(ASSEMBLY)
    assert parse_network(network_toml(net)) == net


# --- the format key ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["3", '"2"', "true", "0"])
def test_an_unknown_format_is_named_with_its_line(value: str, small_toml: str) -> None:
    text = f"# a plant\nformat = {value}\n" + small_toml
    message = one(text)
    assert message.startswith("net.toml:2: format: unknown scenario format; allowed: 1")
    assert "got" in message


def test_a_toml_error_in_a_format_2_file_gets_its_line() -> None:
    text = NET.replace("lot_size = 100", "lot_size = = 100")
    message = one(text)
    assert message.startswith(f"net.toml:{line_of(text, 'lot_size')}: ")
    assert "not valid TOML" in message


def test_an_unknown_field_of_a_station_suggests_the_known_one() -> None:
    text = NET.replace("rate = 100", "rat = 100")
    message = one(text)
    assert message.startswith(f"net.toml:{line_of(text, 'rat =')}: stations[0].rat: unknown field")
    assert "did you mean 'rate'?" in message


def test_a_bad_station_role_lists_the_roles() -> None:
    text = NET.replace('role = "produce"', 'role = "make"')
    message = one(text)
    assert "stations[0].role:" in message and "'make'" in message
    for role in ("produce", "process", "assemble", "test"):
        assert role in message


# --- bad networks: each problem names the field and the value ---------------------------------


def test_a_routing_cycle_is_refused() -> None:
    text = NET.replace(
        '{ buffer = "queue", stations = ["T"] },',
        '{ buffer = "queue", stations = ["T"] },\n    { buffer = "queue", stations = ["T2"] },',
    ) + ('\n[[stations]]\nid = "T2"\nrole = "test"\ntest_time = { dist = "constant", value = 1 }\n'
         "sampling = { plan = { n = 5, ac = 0, re = 1 } }\n")  # fmt: skip
    assert one(text).endswith(
        "routings[0].stages[2].buffer: routing cycle: this buffer comes twice (got 'queue')"
    )


def test_a_routing_into_its_own_buffer_is_a_cycle() -> None:
    text = NET + 'to = "queue"\n'
    message = one(text)
    assert f":{line_of(text, 'to = ')}: routings[0].to: routing cycle" in message
    assert "(got 'queue')" in message


def test_a_station_twice_in_a_routing_is_a_cycle() -> None:
    text = NET.replace('stations = ["T"]', 'stations = ["T", "T"]')
    assert one(text).endswith(
        "routings[0].stages[1].stations[1]: routing cycle: this station comes twice in the"
        " routing (got 'T')"
    )


def test_a_bill_of_materials_cycle_is_refused() -> None:
    text = ASSEMBLY.replace('{ product = "a", units = 1 }', '{ product = "c", units = 1 }')
    assert any(
        "bom[0].components: bill of materials cycle" in m and "'c -> c'" in m
        for m in problems(text)
    )


def test_a_product_no_station_makes() -> None:
    text = NET.replace('id = "a"', 'id = "a"\n\n[[products]]\nid = "b"').replace(
        'products = ["a"]\nstages', 'products = ["a", "b"]\nstages'
    )
    assert one(text).endswith(
        "routings[0].stages[0].stations: no station of this first stage makes b (got ['L1'])"
    )


def test_demand_for_a_product_no_routing_makes() -> None:
    text = NET.replace('id = "a"', 'id = "a"\n\n[[products]]\nid = "b"')
    text += '\n[[demand.recurring]]\nproduct = "b"\nquantity = 10\n'
    message = one(text)
    assert (
        f":{line_of(text, 'product = ')}: demand.recurring[0].product: no routing makes" in message
    )
    assert "(got 'b')" in message


def test_a_bom_component_nothing_produces() -> None:
    text = ASSEMBLY.replace('id = "c"', 'id = "c"\n\n[[products]]\nid = "d"').replace(
        '{ product = "b", units = 2 }', '{ product = "b", units = 2 }, { product = "d", units = 1 }'
    )
    assert one(text).endswith(
        "bom[0].components[2].product: no station produces this component (got 'd')"
    )


def test_a_component_that_never_reaches_the_assembly() -> None:
    text = ASSEMBLY.replace('to = "parts"\n', "")
    assert (
        "bom[0].components[0].product: this component's routing (routings[0]) ends in"
        in (problems(text)[0])
    )


def test_an_assembled_product_needs_a_bill() -> None:
    start = ASSEMBLY.index("[[bom]]")
    text = ASSEMBLY[:start] + ASSEMBLY[ASSEMBLY.index("[[crews]]") :]
    found = problems(text)
    assert any(
        "stations[2].products[0]: an assembled product needs a bill of materials" in m
        and "(got 'c')" in m
        for m in found
    ), found


def test_a_buffer_no_station_reads() -> None:
    text = NET + '\n[[buffers]]\nid = "spare"\nlots = 3\n'
    line = line_of(text, "spare")
    assert one(text) == (
        f"net.toml:{line}: buffers[1].id: no stage reads this buffer (got 'spare')"
    )


def test_a_stage_with_no_station() -> None:
    text = NET.replace('stations = ["T"]', "stations = []")
    assert any(
        m.endswith("routings[0].stages[1].stations: a stage needs at least one station (got [])")
        for m in problems(text)
    )


def test_a_crew_nobody_uses_is_a_warning_not_an_error() -> None:
    text = ASSEMBLY + '\n[[crews]]\nid = "idle"\ncount = 2\n'
    net = parse_network(text)
    assert [(w.path, w.value, w.message) for w in network_warnings(net)] == [
        (("crews", 1, "id"), "idle", "no station uses this crew")
    ]
    assert network_warnings(parse_network(ASSEMBLY)) == []
    assert parse_scenario(text) == net  # valid, and it runs


@pytest.mark.parametrize(
    ("old", "new", "field", "value", "hint"),
    [
        ('stations = ["T"]', 'stations = ["X"]', "routings[0].stages[1].stations[0]", "X",
         "station"),
        ('buffer = "queue"', 'buffer = "qeue"', "routings[0].stages[1].buffer", "qeue", "buffer"),
        ('products = ["a"]\nrate', 'products = ["aa"]\nrate', "stations[0].products[0]", "aa",
         "product"),
        ('lot_size = 100', 'lot_size = 100\ncrew = "fixer"', "stations[0].crew", "fixer", "crew"),
    ],
)  # fmt: skip
def test_unknown_ids_are_named_with_what_is_known(
    old: str, new: str, field: str, value: str, hint: str
) -> None:
    text = NET.replace(old, new, 1)
    found = [m for m in problems(text) if f": {field}: unknown {hint}" in m]
    assert found, problems(text)
    assert f"(got {value!r})" in found[0]


def test_an_unknown_id_gets_a_suggestion() -> None:
    text = NET.replace('buffer = "queue"', 'buffer = "qeue"')
    assert problems(text)[0] == (
        f"net.toml:{line_of(text, 'stages =')}: routings[0].stages[1].buffer: unknown buffer;"
        " did you mean 'queue'? known: queue (got 'qeue')"
    )


def test_duplicate_station_ids() -> None:
    text = NET.replace('id = "T"', 'id = "L1"')
    assert any("stations[1].id: duplicate id 'L1'" in m for m in problems(text))


def test_a_test_station_without_sampling() -> None:
    text = NET.replace("sampling = { plan = { n = 5, ac = 0, re = 1 } }\n", "")
    assert one(text).endswith("stations[1].sampling: a test station needs sampling")


def test_a_produce_station_without_a_rate_or_with_a_test_time() -> None:
    text = NET.replace("rate = 100\n", 'test_time = { dist = "constant", value = 1 }\n')
    found = problems(text)
    assert any(m.endswith("stations[0].rate: a produce station needs rate") for m in found)
    assert any(
        "stations[0].test_time: not allowed on a produce station: only test stations have" in m
        for m in found
    ), found


def test_a_test_station_in_the_first_stage() -> None:
    text = NET.replace('{ stations = ["L1"] }', '{ stations = ["L1", "T"] }').replace(
        '{ buffer = "queue", stations = ["T"] },\n', ""
    )
    found = problems(text)
    assert any(
        "routings[0].stages[0].stations[1]: a test station takes lots from an input buffer" in m
        for m in found
    ), found


def test_a_buffer_capacity_is_lots_or_units() -> None:
    text = NET.replace("lots = 2", "lots = 2\nunits = 10")
    assert "buffers[0]: give the capacity as either lots or units" in one(text)


# --- what this version's engine does not run yet is refused, one problem per feature -----------

NOT_YET = "not run by this version's engine yet"


def test_changeover_crews_do_not_run_yet() -> None:
    text = ASSEMBLY.replace('crew = "fixers"', 'crew = "fixers"\nchangeover_crew = "fixers"', 1)
    assert f"stations[0].changeover_crew: changeover crews are {NOT_YET}" in one(text, run=True)


def test_failures_on_a_test_station_do_not_run_yet() -> None:
    failures = (
        'failures = { between = { dist = "exponential", mean = 60 }, repair = { dist = "constant",'
        " value = 1 } }\n"
    )
    text = NET.replace('role = "test"\n', 'role = "test"\n' + failures)
    message = one(text, run=True)
    assert f"stations[1].failures: failures on a test station: {NOT_YET}" in message
    assert message.startswith(f"net.toml:{line_of(text, 'failures =')}:")


def test_a_station_reading_two_buffers_does_not_run_yet() -> None:
    text = NET.replace('[[products]]\nid = "a"', '[[products]]\nid = "a"\n\n[[products]]\nid = "b"')
    text += (
        '\n[[stations]]\nid = "L2"\nrole = "produce"\nproducts = ["b"]\nrate = 100\n'
        "lot_size = 100\n"
        '\n[[buffers]]\nid = "queue2"\nlots = 2\n'
        '\n[[routings]]\nproducts = ["b"]\n'
        'stages = [{ stations = ["L2"] }, { buffer = "queue2", stations = ["T"] }]\n'
    )
    message = one(text, run=True)
    assert (
        f"routings[1].stages[1].stations[0]: a station reading two buffers is {NOT_YET}: T"
        " reads queue in routings.0.stages.1"
    ) in message


def test_every_role_runs() -> None:
    """The assembly network (produce, assemble, test; a crew; a buffer in units; a routing into
    a buffer) and a process stage both run and keep every unit accounted for."""
    process = (
        NET.replace(
            '{ buffer = "queue", stations = ["T"] },',
            '{ buffer = "queue", stations = ["P"] },\n    { buffer = "wait", stations = ["T"] },',
        )
        + '\n[[stations]]\nid = "P"\nrole = "process"\nrate = 50\n'
        + '\n[[buffers]]\nid = "wait"\nlots = 1\n'
    )
    for text in (ASSEMBLY, process):
        result = simulate(parse_scenario(text), 1, horizon="7d")
        assert result.kpis["conservation"]["ok"]
        assert result.kpis["output"]["units_stored"] > 0


def test_two_test_stations_in_a_stage_share_its_lots() -> None:
    text = NET.replace('stations = ["T"]', 'stations = ["T", "T2"]') + (
        '\n[[stations]]\nid = "T2"\nrole = "test"\ntest_time = { dist = "constant", value = 1 }\n'
        "sampling = { plan = { n = 5, ac = 0, re = 1 } }\n"
    )
    kpis = simulate(parse_scenario(text), 1, horizon="7d").kpis
    assert kpis["testers"]["T"]["lots_tested"] > 0 and kpis["testers"]["T2"]["lots_tested"] > 0


def test_format_1s_checks_of_a_runnable_network_name_the_network_field() -> None:
    text = NET.replace("n = 5, ac = 0, re = 1", "n = 100, ac = 0, re = 1")
    message = one(text, run=True)
    assert message.startswith(
        f"net.toml:{line_of(text, 'sampling =')}: stations[1].sampling.plan.n:"
    )
    assert "the sample must be smaller than every lot" in message
    text = NET + "\n[storage]\ncapacity = 10\n"
    assert one(text, run=True).endswith(
        "storage.capacity: smaller than the largest lot (100 units): no such lot could ever be"
        " stored (got 10.0)"
    )


def test_a_network_model_is_frozen() -> None:
    net = parse_network(NET)
    assert isinstance(net, Network)
    with pytest.raises(ValueError, match="frozen"):
        net.stations[0].rate = 5  # type: ignore[misc]


def test_a_stage_that_puts_its_lots_straight_into_storage_runs() -> None:
    """No test station: the produce station's lots go into storage whole, as they fit."""
    text = NET.replace('    { buffer = "queue", stations = ["T"] },\n', "")
    text = text.split('[[stations]]\nid = "T"')[0] + text.split("lots = 2\n")[1]  # T, queue
    result = simulate(parse_scenario(text + "\n[storage]\ncapacity = 1000\n"), 1, horizon="30h")
    k = result.kpis
    assert k["output"]["units_stored"] == 1000  # the lots finished at 1, 2, ..., 10 h fit
    assert k["lines"]["L1"]["hours"]["blocked"] == pytest.approx(30 - 11)  # the 11th waits
    blocked = [r["time"] for r in result.events().to_pylist() if r["event"] == "blocked"]
    assert blocked == [11.0]  # stored at once, a lot leaves its station no zero-length state
    assert k["conservation"]["ok"]


def test_a_kit_that_cannot_hold_one_assembly_lot_is_refused() -> None:
    """X's lots of 50 take 100 units of b: a kit of 80 units (of each component) never holds
    them, and the assembly would starve for good."""
    message = one(ASSEMBLY.replace("units = 1000", "units = 80"), run=True)
    assert message.startswith(f"net.toml:{line_of(ASSEMBLY, 'units = 1000')}: buffers[0].units:")
    assert "takes 100 units of b, but this kit holds at most 80 of it" in message
    assert parse_scenario(ASSEMBLY.replace("units = 1000", "units = 100"))  # exactly one lot
