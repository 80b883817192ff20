"""Speed of the TUI: start to first painted dashboard, and key press to repainted indicator view.

Run from the repository root::

    python benchmarks/tui_bench.py [--starts 5] [--presses 30] [--keep DIR]

Two workspaces are measured: the demo (``pdsa_core.demo.write_demo``) and a generated
national-size workspace (50 teams, 30 indicators each, 120 months = 180,000 values, 500 PDSA
cycles, a driver diagram and a phase-split annotation for every team), written in one store
transaction before timing starts.

**First paint** is wall-clock time from launching a fresh Python process running
``pdsa --workspace PATH`` (interpreter, imports, the click command line with its plugins,
opening the workspace, starting the app) until the dashboard of the first team shows its
indicators (its table laid out with their rows), in a headless terminal of 120x40. The end is
the moment Textual's compositor has rendered that screen (what its writer thread then puts on
the terminal), read by the child on the clock the benchmark starts it by (``perf_counter``,
the system's monotonic clock), so what the app does after its first paint is not counted
(before 2026-12-07 the end was the moment the benchmark read the child's report, which came
after whatever the app did right after the paint). The child also reports where the time went.

**Key press** is the time from a key reaching the app to the repainted indicator view:
``]`` (next indicator: the data grid is refilled, the SPC analysis runs and the chart is
drawn) and ``v`` (baseline on/off: the analysis runs again and the chart is redrawn); and
``4`` from the dashboard to the indicator view's first paint (its first visit in the start).

**Minimal app**: in the same run, a minimal Textual app (Header, a DataTable of 30 rows,
Footer) is started the same way (a fresh Python process, headless 120x40, until the table is
painted), and pdsa's first paint is printed as a ratio to it. The ratio says how much pdsa adds
to what any Textual app costs on this machine, so it can be compared across loaded and idle
machines, where the absolute figures cannot.

**Caches**: the children get a cache folder of the benchmark's own (``PDSA_CACHE_DIR``), filled
by the uncounted first round as by a user's first start: later starts find the workspace file
remembered as checked, the installed plugins' entry points remembered, the stylesheets
parsed and the dataclass methods compiled (see ``pdsa_core/storage/checked.py``,
``pdsa_core/plugin_discovery.py``, ``tui/stylesheet.py`` and ``pdsa_core/dataclass_code.py``).
``--cold`` empties it before every start instead: a start right after another program changed
the workspace file or pip changed the installed packages.

**Instructions** (``--instructions``): instead of timing, each of the three is started once
under valgrind's callgrind, which counts the instructions executed from the process's start
to its first paint. The count does not move with the machine's load (runs of the same code
agreed within 0.01 % here), so it compares two versions of pdsa where times cannot. It
leaves out what instructions do not show (waiting, cache misses). (Until the dashboard's first
data were computed before its first paint, in a worker thread, a change in when that thread
finished could move the count by several percent.) Needs valgrind; ~2 minutes.

Targets (issue 13): first paint <= 1.5x the minimal app and key ``]`` <= 50 ms (median) on the
national workspace.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # the child's own start, before any import

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEAMS, INDICATORS, MONTHS, CYCLES = 50, 30, 120, 500
SIZE = (120, 40)
STAMP = "2024-01-15T09:00:00+00:00"


# -- the national workspace ---------------------------------------------------------------------------
def build_national(path: Path) -> float:
    """50 teams x 30 indicators x 120 months, 500 cycles, diagrams, annotations: one transaction."""
    import random

    from pdsa_core.domain import (
        Annotation,
        DriverDiagram,
        DriverNode,
        IndicatorDefinition,
        Measurement,
        PdsaCycle,
        Team,
    )
    from pdsa_core.storage import create_store

    start = time.perf_counter()
    rng = random.Random(6)
    periods = [f"{2014 + n // 12}-{n % 12 + 1:02d}" for n in range(MONTHS)]
    statuses = ["planned", "doing", "studying", "acting", "done", "abandoned"]
    store = create_store(path)
    with store.transaction() as tx:
        tx.put("settings", "workspace", {"as_of": "2024-01-15"})
        for t in range(TEAMS):
            region = [
                "Region Nordjylland",
                "Region Midtjylland",
                "Region Sjælland",
                "Region Syddanmark",
                "Region Hovedstaden",
            ][t % 5]
            team = Team(id=f"team-{t:02d}", name=f"Team {t:02d}", region=region, created_at=STAMP)
            tx.put("teams", team.id, team.to_doc())
            nodes = []
            for p in range(3):
                pid = f"pd-{t}-{p}"
                nodes.append(DriverNode(id=pid, kind="primary", text=f"Primær driver {p + 1}"))
                for s in range(3):
                    sid = f"sd-{t}-{p}-{s}"
                    nodes.append(
                        DriverNode(id=sid, kind="secondary", text=f"Sekundær {p + 1}.{s + 1}", parents=[pid])
                    )
                    for c in range(2):
                        nodes.append(
                            DriverNode(
                                id=f"ci-{t}-{p}-{s}-{c}",
                                kind="change idea",
                                text=f"Forandringsidé {p + 1}.{s + 1}.{c + 1}",
                                parents=[sid],
                            )
                        )
            diagram = DriverDiagram(team_id=team.id, aim=f"Færre tvangsindlæggelser i team {t}", nodes=nodes)
            tx.put("diagrams", team.id, diagram.to_doc())
            note = Annotation(
                id=f"ann-{t}",
                team_id=team.id,
                date="2019-07-01",
                text="Ny psykiatrilov",
                kind="law change",
                phase_split=True,
                created_at=STAMP,
            )
            tx.put("annotations", note.id, note.to_doc())
            for i in range(INDICATORS):
                proportion = i % 5 == 4
                definition = IndicatorDefinition(
                    code=f"X{i + 1}",
                    name_da=f"Indikator {i + 1}",
                    unit="proportion" if proportion else "count",
                    baseline_start="2014-01",
                    baseline_end="2016-12",
                )
                indicator = definition.for_team(team.id, "bench")
                tx.put("indicators", f"{team.id}|{indicator.code}", indicator.to_doc())
                level = rng.randint(3, 20)
                for n, period in enumerate(periods):
                    shift = -2 if n >= 80 else 0
                    if proportion:
                        den = rng.randint(20, 40)
                        num = min(den, max(0, int(den * (0.4 + 0.002 * n + rng.gauss(0, 0.08)))))
                        m = Measurement(
                            team_id=team.id,
                            indicator=indicator.code,
                            period=period,
                            numerator=num,
                            denominator=den,
                            source="import",
                            source_file="bench.csv",
                            entered_at=STAMP,
                            entered_by="bench",
                        )
                    else:
                        value = max(0, level + shift + round(rng.gauss(0, 2)))
                        m = Measurement(
                            team_id=team.id,
                            indicator=indicator.code,
                            period=period,
                            value=value,
                            source="import",
                            source_file="bench.csv",
                            entered_at=STAMP,
                            entered_by="bench",
                        )
                    tx.put("measurements", m.key, m.to_doc())
        for c in range(CYCLES):
            t, p, s, k = c % TEAMS, c % 3, (c // 3) % 3, c % 2
            status = statuses[c % len(statuses)]
            started = status != "planned"
            cycle = PdsaCycle(
                id=f"pdsa-{c:04d}",
                team_id=f"team-{t:02d}",
                title=f"PDSA {c + 1}",
                change_idea=f"ci-{t}-{p}-{s}-{k}",
                status=status,
                owner=f"Tovholder {t}",
                objective="Afprøve idéen i lille skala",
                indicators=("X1",),
                start_date="2023-01-02" if started else "",
                end_date="2023-06-30" if status in ("done", "abandoned") else "",
                act_decision="adopt" if status == "done" else "",
                created_at=STAMP,
                updated_at=STAMP,
            )
            tx.put("cycles", cycle.id, cycle.to_doc())
    store.close()
    return time.perf_counter() - start


# -- the child process: one start of the app ----------------------------------------------------------
def shows_rows(table: Any, expected: int) -> bool:
    """The table holds its ``expected`` rows and has been laid out with them: a paint made
    after the rows were added but before the next layout (the table still 0 lines high)
    shows none of them, and does not count."""
    return bool(table.row_count == expected and table.size.height > table.header_height)


async def _wait(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not update in time")
        await asyncio.sleep(0.0005)


def child(location: str, presses: int, *, stop_at_paint: bool = False) -> None:
    """Start ``pdsa -w LOCATION`` in this process, report first paint, then time key presses.

    The command line runs as a user's ``pdsa`` does (click, plugins, opening the workspace,
    ``tui.app.run_app``); only the app's final ``run`` is swapped for a headless run that
    watches the screen. A paint is the moment Textual's compositor has rendered the screen's
    update (what a terminal then shows); keys are sent through the driver, as a terminal sends
    them, so no test-harness waiting is included in the figures. The child imports
    ``pdsa_cli`` first, as the ``pdsa`` script does, and makes ``main``'s preparation
    (``prepare_start``). Every other module is imported where a user's start imports it: the
    workspace module, Textual and the TUI are watched from the moment they are imported
    (:func:`_after_import`), so what a start does meanwhile on another processor
    (:mod:`pdsa_core.overview_in_advance`) overlaps as in a user's start. The phases printed
    are the imports up to ``main``; the command line up to the app's start (with Textual's
    and the TUI's import), less the two that follow; the workspace opened before the paint
    (a start that read no first screen in advance); the wait for the first screen read in
    advance; and the app's start to the paint. After the paint (not counted) the child checks
    that the dashboard showed all the team's indicators, as the workspace holds them.
    """
    marks: dict[str, float] = {}
    spans: list[tuple[str, float, float]] = []  # (what, start, seconds) of timed calls
    import pdsa_cli

    if hasattr(pdsa_cli, "prepare_start"):
        pdsa_cli.prepare_start()
    else:  # a pdsa before it: main paused the collector first
        from pdsa_core.startup import pause_gc_for_startup

        pause_gc_for_startup()
    from pdsa_cli import main as pdsa_main

    _mark_forks()
    marks["imported"] = time.perf_counter()
    figures: dict[str, Any] = {}
    paints: list[tuple[float, Any]] = []  # (time, what the condition saw) of each compositor render
    condition: list[Any] = [lambda: False]

    def watch_the_app(app_module: Any) -> None:
        """Once ``tui.app`` (and with it Textual) is imported: time each compositor render,
        and run the app headless."""
        from textual.screen import Screen

        refresh = Screen._compositor_refresh

        def timed_refresh(screen: Screen[Any]) -> None:
            refresh(screen)
            paints.append((time.perf_counter(), condition[0]()))
            if stop_at_paint and paints[-1][1]:
                _end_at_paint(paints[-1][0])

        Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
        app_module.PdsaApp.run = headless_run

    def timed(owner: Any, name: str, what: str) -> None:
        """Note the start and the time of each call of ``owner.name`` in ``spans``."""
        function = getattr(owner, name)

        def timed_call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spans.append((what, start, time.perf_counter() - start))

        setattr(owner, name, timed_call)

    def watch_the_opening(module: Any) -> None:
        """The workspace opened in this process (before the first paint: a start that could
        not read the first screen in advance; after it, not counted), and the wait for the
        first screen read in advance (:mod:`pdsa_core.overview_in_advance`)."""
        if module.__name__ == "pdsa_core.workspace":
            timed(module.Workspace, "open", "open_workspace")
        elif hasattr(module, "FirstScreenInAdvance"):
            timed(module.FirstScreenInAdvance, "result", "first_screen_wait")

    _after_import("pdsa_core.workspace", watch_the_opening)
    _after_import("pdsa_core.overview_in_advance", watch_the_opening)

    async def painted(check: Any, timeout: float = 30.0, *, since_start: bool = False) -> float:
        """The time of the first paint after ``check`` became true (``since_start``: ``check``
        was watched from the app's start, so a paint made before this call counts too)."""
        if not since_start:
            paints.clear()
            condition[0] = check
        deadline = time.perf_counter() + timeout
        while not any(ok for _, ok in paints):
            if time.perf_counter() > deadline:
                raise TimeoutError("the screen was not repainted in time")
            await asyncio.sleep(0.0002)
        return next(at for at, ok in paints if ok)

    def dashboard_shown(app: Any) -> bool:
        """The dashboard shows the first team's indicators (watched from the app's start: a
        small workspace's dashboard can be painted, and the app idle, before ``run_test``
        hands over, and a wait that began then would see no further paint)."""
        from tui.screens.dashboard import IndicatorTable

        try:
            screen = app.screen
            table = screen.query_one(IndicatorTable)
        except Exception:  # noqa: BLE001 - no screen or no table yet
            return False
        overview = getattr(screen, "overview", None)  # (app.ws would open the workspace here)
        return overview is not None and shows_rows(table, len(overview["indicators"]))

    async def run(app: Any) -> None:
        async with app.run_test(size=SIZE) as pilot:
            at = await painted(None, since_start=True)
            figures["cpu_at_first_paint"] = time.process_time()
            figures["first_paint_in_process"] = at - _T0
            before = {
                what: sum(seconds for name, start, seconds in spans if name == what and start < at)
                for what in ("open_workspace", "first_screen_wait")
            }
            figures["imports"] = marks["imported"] - _T0
            figures["command_line"] = marks["run_app"] - marks["imported"] - sum(before.values())
            figures.update(before)
            figures["app_start_to_dashboard"] = at - marks["run_app"]
            print(f"PAINTED {at!r}", flush=True)
            rows = len(app.screen.overview["indicators"])
            if rows != len(app.ws.indicators(app.team_id)):  # opens the workspace (if not yet)
                raise AssertionError("the first dashboard did not show the team's indicators")
            from textual import events

            from tui.screens.indicator import IndicatorScreen

            start = time.perf_counter()
            four = events.Key("4", "4")
            four.set_sender(app)
            app._driver.send_message(four)

            def shown() -> bool:
                view = app.screen
                return isinstance(view, IndicatorScreen) and view.shown_token == view._token > 0

            figures["indicator_view"] = await painted(shown) - start
            view = app.screen
            assert isinstance(view, IndicatorScreen)
            await pilot.pause()
            for key, name in (("right_square_bracket", "next_indicator"), ("v", "baseline_toggle")):
                samples = []
                for _ in range(presses):
                    await pilot.pause()
                    token = view._token
                    start = time.perf_counter()
                    event = events.Key(key, None)
                    event.set_sender(app)
                    app._driver.send_message(event)
                    at = await painted(
                        lambda token=token: view._token > token and view.shown_token == view._token
                    )
                    samples.append(at - start)
                figures[name] = samples

    def headless_run(app: Any, *args: Any, **kwargs: Any) -> None:
        marks["run_app"] = time.perf_counter()
        condition[0] = lambda: dashboard_shown(app)
        asyncio.run(run(app))

    _after_import("tui.app", watch_the_app)
    try:
        pdsa_main(["--workspace", location])
    except SystemExit as exc:
        if exc.code:
            raise
    print("FIGURES " + json.dumps(figures), flush=True)


def minimal_child(*, stop_at_paint: bool = False) -> None:
    """The minimal Textual app: Header, a DataTable of 30 rows, Footer; report its first paint.

    Measured like pdsa's start: the child's own imports are included, and the paint is the
    first compositor render after the table has its 30 rows.
    """
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header

    paints: list[tuple[float, bool]] = []
    refresh = Screen._compositor_refresh

    class Minimal(App[None]):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Code", "Name", "Last", "Verdict", "Missing")
            for n in range(30):
                table.add_row(f"X{n + 1}", f"Indikator {n + 1}", str(n), "Tilfældig variation", "–")

    app = Minimal()

    def timed_refresh(screen: Screen[Any]) -> None:
        refresh(screen)
        table = app.query(DataTable)
        paints.append((time.perf_counter(), bool(table) and shows_rows(table.first(), 30)))
        if stop_at_paint and paints[-1][1]:
            _end_at_paint(paints[-1][0])

    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=SIZE):
            while not any(ok for _, ok in paints):
                await asyncio.sleep(0.0002)
            at = next(at for at, ok in paints if ok)
            cpu = time.process_time()
            print(f"PAINTED {at!r}", flush=True)
            figures = {"first_paint_in_process": at - _T0, "cpu_at_first_paint": cpu}
            print("FIGURES " + json.dumps(figures), flush=True)

    asyncio.run(run())


# -- instructions: a count that the machine's load does not change ------------------------------------
def _end_at_paint(at: float) -> None:
    """``--stop-at-paint`` (``--instructions``): end the process at the paint itself, so that
    nothing the app does after it (pdsa opens the workspace 30 ms after a first screen read in
    advance, which under valgrind's slowness is almost at once) is counted."""
    print(f"PAINTED {at!r}", flush=True)
    os._exit(0)


def _after_import(name: str, patch: Any) -> None:
    """Call ``patch(module)`` right after the module ``name`` is imported, wherever the start
    imports it (at once if it is imported already): the child watches the app without
    importing the TUI earlier than a user's start does."""
    import importlib.abc
    import importlib.util

    if name in sys.modules:
        patch(sys.modules[name])
        return

    class Patching(importlib.abc.Loader):
        def __init__(self, loader: Any) -> None:
            self.loader = loader

        def create_module(self, spec: Any) -> Any:
            return self.loader.create_module(spec)

        def exec_module(self, module: Any) -> None:
            self.loader.exec_module(module)
            patch(module)

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)  # as the other finders find it
            if spec is not None and spec.loader is not None:
                spec.loader = Patching(spec.loader)
            return spec

    sys.meta_path.insert(0, Finder())


def _mark_forks() -> None:
    """A process forked by pdsa (:mod:`pdsa_core.overview_in_advance`) calls ``getppid`` as
    its first act, so that under callgrind (``--dump-before=getppid``) the counts it inherited
    from its parent are dumped apart from its own work. Outside valgrind it costs one system call."""
    fork = os.fork

    def marked_fork() -> int:
        pid = fork()
        if pid == 0:
            os.getppid()
        return pid

    os.fork = marked_fork


def instructions_to_first_paint(location: Path | None, cache: Path) -> tuple[int, int]:
    """Instructions the process executes from its start to its first paint, counted by
    valgrind's callgrind (about 30x slower than a normal start). Unlike times, the count
    is the same from run to run of the same code on a busy machine; it counts work, not
    waiting or cache misses (see the module's docstring for what can still move it).

    Returns the count of all processes and that of the process that paints. The
    instructions of the process that reads the first screen meanwhile
    (:mod:`pdsa_core.overview_in_advance`, forked on a machine with two processors) are
    counted in the first: it is all the work a start does, on whichever processor. A forked
    process starts with its parent's counts; it calls ``getppid`` first (see
    :func:`_mark_forks`), where callgrind dumps and zeroes them, and that dump is left out."""
    what = ["--minimal"] if location is None else ["--child", str(location), "--presses", "1"]
    with tempfile.TemporaryDirectory(prefix="pdsa-tui-bench-callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out"
        started = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}.%p",  # one file per process (a forked child too)
                "--dump-before=getppid",
                sys.executable,
                str(Path(__file__).resolve()),
                *what,
                "--stop-at-paint",
            ],
            cwd=ROOT,
            env={**os.environ, "PDSA_LANG": "da", "PDSA_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if started.wait() != 0:
            raise SystemExit("the start under valgrind failed")
        counts: list[tuple[bool, int]] = []  # (of the process that paints, count)
        for dump in Path(scratch).glob("callgrind.out.*"):
            pid, _, number = dump.name.removeprefix("callgrind.out.").partition(".")
            if number == "1" and pid != str(started.pid):
                continue  # what a forked child inherited from its parent (its first dump)
            for line in dump.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("summary:"):
                    counts.append((pid == str(started.pid), int(line.split()[1])))
    if not counts:
        raise SystemExit("callgrind wrote no summary")
    return sum(c for _, c in counts), sum(c for painting, c in counts if painting)


def report_instructions(targets: dict[str, Path | None], cache: Path) -> None:
    """One uncounted start of each (filling the cache), then the counts."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian/Ubuntu: apt install valgrind)")
    for location in targets.values():
        start_once(location, 1, cache)
    counts = {name: instructions_to_first_paint(location, cache) for name, location in targets.items()}
    print("\ninstructions from process start to first paint (valgrind --tool=callgrind)")
    minimal = counts["minimal"][0]
    for name, (count, painting) in counts.items():
        ratio = f"  {count / minimal:.2f}x the minimal app" if name != "minimal" else ""
        split = (
            f"; the process that paints {painting / 1e6:.1f} M ({painting / minimal:.2f}x)"
            if painting != count
            else ""
        )
        print(f"  {name:8} {count / 1e6:8.1f} M{ratio}{split}")


# -- the parent: start children, collect figures --------------------------------------------------------
def start_once(location: Path | None, presses: int, cache: Path) -> tuple[float, dict[str, Any]]:
    """One start of pdsa on ``location`` (None: the minimal app): wall-clock first paint, figures.

    ``cache`` is pdsa's cache folder for the child (``PDSA_CACHE_DIR``): the benchmark's own, so
    the user's is never touched; the uncounted first round fills it, as a user's first start
    does (the workspace file remembered as checked, the installed entry points found)."""
    what = ["--minimal"] if location is None else ["--child", str(location), "--presses", str(presses)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *what],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PDSA_LANG": "da", "PDSA_CACHE_DIR": str(cache)},
    )
    assert proc.stdout is not None
    wall, figures = 0.0, {}
    for line in proc.stdout:
        if line.startswith("PAINTED "):
            wall = float(line.split()[1]) - start  # the paint, on the same clock (see the docstring)
        elif line.startswith("FIGURES "):
            figures = json.loads(line[len("FIGURES ") :])
    if proc.wait() != 0:
        raise SystemExit(f"the app failed on {location or 'the minimal app'} (exit code {proc.returncode})")
    return wall, figures


def measure(
    targets: dict[str, Path | None], starts: int, presses: int, cache: Path, *, cold: bool = False
) -> dict[str, dict[str, Any]]:
    """Start every target ``starts`` times, in turn (minimal, demo, national, minimal, ...), so
    that a change in the machine's load falls on all of them alike; one uncounted warm-up round
    first fills the disk cache. The key presses are timed in each target's last start."""
    results: dict[str, dict[str, Any]] = {name: {"walls": [], "figures": []} for name in targets}
    for n in range(-1, starts):
        for name, location in targets.items():
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            wall, figures = start_once(location, presses if n == starts - 1 else 1, cache)
            if n >= 0:
                results[name]["walls"].append(wall)
                results[name]["figures"].append(figures)
    return results


def _bytecode_note() -> str:
    """Make sure pdsa's own modules have cached bytecode, as after a user's first start.

    Python writes ``__pycache__`` on the first import, unless ``PYTHONDONTWRITEBYTECODE`` is
    set (as on some build machines); then every start would compile all of pdsa again
    (~170 ms) and the figures would not be what a user sees from the second start on.
    """
    if not sys.dont_write_bytecode:
        return "bytecode: Python caches it as usual (the first start below warms it)"
    import compileall

    for folder in ("pdsa_core", "pdsa_cli", "tui", "plugins"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    return "bytecode: compiled ahead (PYTHONDONTWRITEBYTECODE is set here), as a user's first start would"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _report(name: str, result: dict[str, Any], minimal_walls: list[float]) -> None:
    walls = result["walls"]
    last = result["figures"][-1]
    median = statistics.median(walls)
    minimal = statistics.median(minimal_walls)
    print(f"\n{name}")
    print(
        f"  first paint (process start -> dashboard painted), median of {len(walls)}: "
        f"{_ms(median)}  (min {_ms(min(walls)).strip()}, max {_ms(max(walls)).strip()})"
    )
    # each round starts the minimal app and pdsa within a second or two: the ratio of each
    # round's pair moves less with the machine than the ratio of the two medians
    paired = statistics.median(w / m for w, m in zip(walls, minimal_walls, strict=True))
    print(
        f"  first paint as a ratio to the minimal Textual app: {median / minimal:.2f}x "
        f"(median of the {len(walls)} rounds' ratios: {paired:.2f}x)"
    )
    parts = ("imports", "command_line", "open_workspace", "first_screen_wait", "app_start_to_dashboard")
    inside = {p: statistics.median(f.get(p, 0.0) for f in result["figures"]) for p in parts}
    shown = {
        "command_line": "command line (with the TUI's import)",
        "first_screen_wait": "waiting for the first screen read in advance",
    }
    print(
        "    of which: "
        + ", ".join(f"{shown.get(p, p.replace('_', ' '))} {_ms(v).strip()}" for p, v in inside.items())
    )
    opened = statistics.median(f["indicator_view"] for f in result["figures"])
    print(
        f"  key 4 (first visit of the indicator view) -> painted, median of {len(walls)}: "
        f"{_ms(opened).strip()}"
    )
    for key in ("next_indicator", "baseline_toggle"):
        samples = sorted(last[key])
        p90 = samples[max(0, int(round(len(samples) * 0.9)) - 1)]
        label = {"next_indicator": "key ] (next indicator)", "baseline_toggle": "key v (baseline on/off)"}[
            key
        ]
        print(
            f"  {label} -> indicator view repainted: median {_ms(statistics.median(samples)).strip()}, "
            f"p90 {_ms(p90).strip()}, max {_ms(samples[-1]).strip()} ({len(samples)} presses)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=5, help="app starts per workspace (default 5)")
    parser.add_argument("--presses", type=int, default=30, help="key presses per kind (default 30)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="write the workspaces here and keep them; a later run with the same DIR uses them again",
    )
    parser.add_argument(
        "--cold", action="store_true", help="empty pdsa's cache folder before every start (see Caches above)"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count the instructions to each first paint with valgrind instead of timing (see Instructions)",
    )
    parser.add_argument("--child", metavar="WORKSPACE", help=argparse.SUPPRESS)
    parser.add_argument("--minimal", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stop-at-paint", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.minimal:
        minimal_child(stop_at_paint=args.stop_at_paint)
        return
    if args.child:
        child(args.child, args.presses, stop_at_paint=args.stop_at_paint)
        return
    from pdsa_core.demo import write_demo

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pdsa-tui-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    demo, national = folder / "demo.json", folder / "national.json"
    if args.keep and demo.exists() and national.exists():
        built_note = "kept from an earlier run"
    else:
        for path in (demo, national):
            for old in folder.glob(path.name + "*"):
                old.unlink()
        write_demo(demo)
        built_note = f"built in {build_national(national):.1f} s"
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; terminal {SIZE[0]}x{SIZE[1]} (headless)")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other programs on the machine slow every figure)")
    print(_bytecode_note())
    print(
        f"national workspace: {TEAMS} teams x {INDICATORS} indicators x {MONTHS} months, {CYCLES} cycles; "
        f"{national.stat().st_size / 1e6:.1f} MB, {built_note}"
    )
    cache = Path(tempfile.mkdtemp(prefix="pdsa-tui-bench-cache-"))
    state = "emptied before every start" if args.cold else "filled by the uncounted first round"
    print(f"pdsa's cache folder: {cache} ({state})")
    targets: dict[str, Path | None] = {"minimal": None, "demo": demo, "national": national}
    try:
        if args.instructions:
            report_instructions(targets, cache)
        else:
            report_times(demo, measure(targets, args.starts, args.presses, cache, cold=args.cold))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def report_times(demo: Path, results: dict[str, dict[str, Any]]) -> None:
    """The medians of the timed starts and key presses, each workspace as a ratio to the minimal app."""
    walls = results["minimal"]["walls"]
    minimal = statistics.median(walls)
    print(
        "\nminimal Textual app (Header, DataTable of 30 rows, Footer)\n"
        f"  first paint (process start -> table painted), median of {len(walls)}: {_ms(minimal)}  "
        f"(min {_ms(min(walls)).strip()}, max {_ms(max(walls)).strip()})"
    )
    _report(f"demo workspace ({demo.stat().st_size / 1e6:.1f} MB)", results["demo"], walls)
    _report("national workspace", results["national"], walls)


if __name__ == "__main__":
    main()
