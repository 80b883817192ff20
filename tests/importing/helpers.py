"""Helpers for the importing tests: real-looking files written into ``tmp_path``."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pdsa_core.errors import PdsaError
from pdsa_core.importing import service as imports
from pdsa_core.workspace import Workspace

EVENT_HEADER = (
    "cpr",
    "tidspunkt",
    "tvangstype",
    "afsnit",
    "alder",
    "bopælskommune",
    "ambulant_forløb",
    "retspsykiatrisk",
)


def write_extract(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] = EVENT_HEADER,
    sep: str = ";",
    encoding: str = "utf-8-sig",
    line_end: str = "\r\n",
) -> Path:
    """Write an event extract the way an EPJ export saved by Excel looks."""
    lines = [sep.join(header)]
    lines += [sep.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_bytes((line_end.join(lines) + line_end).encode(encoding))
    return path


def event(cpr: str, when: str, kind: str = "Bæltefiksering", ward: str = "S1", age: int | str = 40,
          municipality: str = "Aalborg", outpatient: str = "ja", forensic: str = "nej"
          ) -> tuple[object, ...]:
    return (cpr, when, kind, ward, age, municipality, outpatient, forensic)


@contextmanager
def workspace_copy(template: Path) -> Iterator[tuple[Workspace, Path, Path]]:
    """A fresh copy of the ``template`` workspace in its own folder (for one hypothesis example)."""
    folder = Path(tempfile.mkdtemp(prefix="pdsa-fuzz-"))
    try:
        path = folder / "workspace.json"
        shutil.copyfile(template, path)
        yield Workspace.open(path), path, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def import_all_or_nothing(ws: Workspace, team: str, path: Path, file: Path, **read: Any) -> PdsaError | None:
    """Read and commit ``file`` (an event extract when ``population=`` is given, else a table);
    on any PdsaError the workspace file must be untouched."""
    before = path.read_bytes()
    try:
        plan = (
            imports.read_events(ws, team, file, **read)
            if read.get("population") is not None
            else imports.read_file(ws, team, file)
        )
        imports.preview(ws, plan)
        imports.commit(ws, plan)
    except PdsaError as exc:
        assert path.read_bytes() == before, "a refused import changed the workspace"
        assert str(exc)
        return exc
    return None
