"""The README stays true: every command is listed, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from pdsa_cli import build_cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_top_level_command_is_in_the_readme() -> None:
    listed = set(re.findall(r"`pdsa ([a-z]+)", README))
    missing = sorted(set(build_cli().commands) - listed)
    assert missing == [], f"commands missing from README.md: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    quick_start = re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)
    test_line = next(line for line in quick_start if "pytest" in line)
    install_and_test = test_line.split(". .venv/bin/activate && ", 1)[1]
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_linked_docs_exist() -> None:
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).is_file(), link
