"""Install and uninstall plugins in pdsa's own Python environment (``pdsa plugins install NAME``).

As ``llm install`` and ``datasette install`` do, pip runs with the interpreter pdsa itself runs
in (``sys.executable -m pip``), so a plugin lands where pdsa looks for it, whether pdsa was
installed with pipx, in a virtual environment or for the user. ``NAME`` is anything pip
accepts: a distribution name (``pdsa-region-syd``), a version (``pdsa-region-syd==1.2``), a
local folder or a wheel file.

pip's own output is kept; what reaches the user is which pdsa plugins were added or changed, or
pip's error lines. Only a distribution that provides a pdsa plugin (an entry point in the
group ``pdsa``) can be uninstalled this way, so ``pdsa plugins uninstall click`` cannot break pdsa.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pdsa_core.errors import PluginError, ValidationError
from pdsa_core.plugins import ENTRY_POINT_GROUP, clear_cache

#: pdsa's own distribution (never uninstalled through ``pdsa plugins uninstall``)
PDSA_DISTRIBUTION = "pdsa-tracker"

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True)
class PluginDistribution:
    """An installed distribution that provides pdsa plugins."""

    name: str
    version: str
    plugins: tuple[str, ...]  # its entry point names in the group ``pdsa``


@dataclass(frozen=True)
class InstallResult:
    """What an install changed: plugin distributions new or at another version, and those that were there."""

    added: tuple[PluginDistribution, ...]
    changed: tuple[tuple[PluginDistribution, str], ...]  # (now, the version before)
    unchanged: tuple[PluginDistribution, ...]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_plugins() -> dict[str, PluginDistribution]:
    """The installed distributions that provide pdsa plugins, by canonical name."""
    importlib.invalidate_caches()
    found: dict[str, PluginDistribution] = {}
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        if dist is None:
            continue
        key = _canonical(dist.name)
        before = found.get(key)
        names = (*(before.plugins if before else ()), entry_point.name)
        found[key] = PluginDistribution(dist.name, dist.version, tuple(sorted(set(names))))
    return found


def pip_command(
    action: str, names: Sequence[str], *, upgrade: bool = False, editable: bool = False
) -> list[str]:
    """The pip command line: pdsa's interpreter, ``-m pip``, the action and the names."""
    command = [sys.executable, "-m", "pip", action]
    if action == "install":
        if upgrade:
            command.append("--upgrade")
        for name in names:
            command += ["--editable", name] if editable else [name]
        return command
    return [*command, "--yes", *names]


_VERBS = {"install": ("install", "installere"), "uninstall": ("uninstall", "afinstallere")}


def _run_pip(command: list[str], action: str, names: Sequence[str], run: Runner | None) -> None:
    try:
        done = (run or subprocess.run)(command, capture_output=True, text=True, check=False)
    except OSError as exc:  # the interpreter itself cannot be started
        raise PluginError(f"cannot run pip with {sys.executable}: {exc}") from None
    if done.returncode == 0:
        return
    output = f"{done.stderr or ''}\n{done.stdout or ''}"
    if "No module named pip" in output:
        raise PluginError(
            f"pip is not installed in pdsa's Python environment ({sys.executable}); "
            f"add it with '{sys.executable} -m ensurepip' and try again",
            da=f"pip er ikke installeret i pdsa's Python-miljø ({sys.executable}); "
            f"tilføj det med '{sys.executable} -m ensurepip' og prøv igen",
        )
    errors = [line.strip() for line in output.splitlines() if line.strip().lower().startswith("error:")]
    reason = "; ".join(errors[:3]) or (output.strip().splitlines() or ["(no output)"])[-1].strip()
    verb_en, verb_da = _VERBS[action]
    listed = " ".join(names)
    raise PluginError(
        f"pip could not {verb_en} {listed} (exit code {done.returncode}): {reason}",
        da=f"pip kunne ikke {verb_da} {listed} (afslutningskode {done.returncode}): {reason}",
    )


def install_plugins(
    names: Sequence[str], *, upgrade: bool = False, editable: bool = False, run: Runner | None = None
) -> InstallResult:
    """``pip install`` into pdsa's environment; which plugin distributions it added or changed.

    ``editable`` installs local folders in editable mode (``pip install -e``): changes to the
    plugin's source take effect without installing it again.
    """
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise ValidationError("name a plugin to install", da="angiv et plugin, der skal installeres")
    if editable:
        for name in names:
            if not (Path(name) / "pyproject.toml").is_file() and not (Path(name) / "setup.py").is_file():
                raise ValidationError(
                    f"--editable needs a plugin's folder (with a pyproject.toml); {name} is not one",
                    da=f"--editable kræver et plugins mappe (med en pyproject.toml); {name} er ikke en",
                )
    before = installed_plugins()
    _run_pip(pip_command("install", names, upgrade=upgrade, editable=editable), "install", names, run)
    clear_cache()
    after = installed_plugins()
    added = tuple(d for key, d in sorted(after.items()) if key not in before)
    changed = tuple(
        (d, before[key].version)
        for key, d in sorted(after.items())
        if key in before and before[key].version != d.version
    )
    unchanged = tuple(
        d for key, d in sorted(after.items()) if key in before and before[key].version == d.version
    )
    return InstallResult(added=added, changed=changed, unchanged=unchanged)


def uninstall_plugins(names: Sequence[str], *, run: Runner | None = None) -> list[PluginDistribution]:
    """``pip uninstall`` plugin distributions (by distribution or plugin name); what was removed.

    Every name is checked before pip runs: one that is not an installed pdsa plugin stops the
    whole command, and nothing is uninstalled.
    """
    installed = installed_plugins()
    by_plugin = {_canonical(p): d for d in installed.values() for p in d.plugins}
    chosen: list[PluginDistribution] = []
    for name in (n.strip() for n in names if n.strip()):
        key = _canonical(name)
        if key == PDSA_DISTRIBUTION:
            raise ValidationError(
                "pdsa cannot uninstall itself; use the tool you installed it with (pip, pipx)",
                da="pdsa kan ikke afinstallere sig selv; "
                "brug det værktøj, det blev installeret med (pip, pipx)",
            )
        dist = installed.get(key) or by_plugin.get(key)
        if dist is None:
            known = ", ".join(sorted(d.name for d in installed.values())) or "none"
            if _is_installed(name):
                raise ValidationError(
                    f"{name} is installed but is not a pdsa plugin (no entry point in the group "
                    f"'{ENTRY_POINT_GROUP}'); pdsa uninstalls only plugins (installed plugins: {known})",
                    da=f"{name} er installeret, men er ikke et pdsa-plugin; pdsa afinstallerer kun "
                    f"plugins (installerede plugins: {'ingen' if known == 'none' else known})",
                )
            raise ValidationError(
                f"no installed plugin {name!r} (installed plugins: {known})",
                da=f"intet installeret plugin {name!r} (installerede plugins: "
                f"{'ingen' if known == 'none' else known})",
            )
        if dist not in chosen:
            chosen.append(dist)
    if not chosen:
        raise ValidationError("name a plugin to uninstall", da="angiv et plugin, der skal afinstalleres")
    removing = [d.name for d in chosen]
    _run_pip(pip_command("uninstall", removing), "uninstall", removing, run)
    clear_cache()
    return chosen


def _is_installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True
