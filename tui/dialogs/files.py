"""Choosing a data file: a folder tree showing folders and CSV/Excel files, or a typed path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Input, Label

from pdsa_core.i18n import t
from tui.dialogs.common import _Dialog

DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


class DataFileTree(DirectoryTree):
    """Folders and the files an import can read; hidden files are left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in DATA_SUFFIXES)
        ]


class FilePicker(_Dialog):
    """Dismisses with the chosen file's path, or None."""

    def __init__(self, start: Path) -> None:
        super().__init__(classes="dialog")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box files"):
            yield Label(t("tui.imp.pick_title"), classes="dialog-title")
            yield Input(placeholder=t("tui.imp.path_placeholder"), id="file-path")
            yield DataFileTree(self.start, id="file-tree")

    def on_mount(self) -> None:
        self.query_one("#file-tree", DataFileTree).focus()

    @on(DirectoryTree.FileSelected, "#file-tree")
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

    @on(Input.Submitted, "#file-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.start / path
        if path.is_dir():
            self.query_one("#file-tree", DataFileTree).path = path
            return
        self.dismiss(str(path))
