"""``pdsa plugins install|uninstall NAME``: pip, run by pdsa's own interpreter, with clear errors.

One test installs and uninstalls a real local plugin folder, offline, in a scratch Python
environment made for it (so the environment running the tests never changes): the folder
builds its wheel with a tiny in-tree build backend, so pip needs nothing from an index. The
other tests replace the subprocess at its boundary and check the command line and the messages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path
from typing import Any

import pytest

from pdsa_core.plugin_install import pip_command

#: a PEP 517 build backend that zips the package and its metadata into a wheel (no setuptools,
#: no wheel package, nothing to download)
BACKEND = """
import base64, hashlib, pathlib, zipfile

NAME, VERSION, PACKAGE = "pdsa-syd-probe", "0.1.0", "pdsa_syd_probe"
DIST_INFO = f"pdsa_syd_probe-{VERSION}.dist-info"


def _files():
    yield f"{PACKAGE}/__init__.py", pathlib.Path(PACKAGE, "__init__.py").read_bytes()
    yield f"{DIST_INFO}/METADATA", f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n".encode()
    wheel = "Wheel-Version: 1.0\\nGenerator: probe\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    yield f"{DIST_INFO}/WHEEL", wheel.encode()
    yield f"{DIST_INFO}/entry_points.txt", f"[pdsa]\\n{NAME} = {PACKAGE}\\n".encode()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"pdsa_syd_probe-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(pathlib.Path(wheel_directory, name), "w") as wheel:
        for path, data in _files():
            wheel.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{DIST_INFO}/RECORD,,")
        wheel.writestr(f"{DIST_INFO}/RECORD", "\\n".join(record) + "\\n")
    return name
"""

PLUGIN = """
from pdsa_core import IndicatorDefinition, IndicatorSet, Register, hookimpl


@hookimpl
def register_indicator_sets(register: Register[IndicatorSet]) -> None:
    indicators = [IndicatorDefinition(code="X1", name_da="X")]
    register(IndicatorSet(id="syd-probe", name_da="Syd", indicators=indicators))
"""


def _plugin_folder(root: Path) -> Path:
    folder = root / "pdsa-syd-probe"
    (folder / "pdsa_syd_probe").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "probe_backend"\nbackend-path = ["."]\n',
        encoding="utf-8",
    )
    (folder / "probe_backend.py").write_text(textwrap.dedent(BACKEND), encoding="utf-8")
    (folder / "pdsa_syd_probe" / "__init__.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    return folder


def _scratch_python(root: Path) -> Path:
    """A new virtual environment that also sees this one's packages (pdsa, pip), and installs into itself."""
    env = root / "env"
    venv.create(env, with_pip=False)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    outer = sysconfig.get_paths()["purelib"]
    Path(own, "outer.pth").write_text(f"import site; site.addsitedir({outer!r})\n", encoding="utf-8")
    return python


def _pdsa(python: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PDSA_"))}
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PDSA_LANG": "en"}
    env |= {"PDSA_WORKSPACE": str(root / "w.json"), "XDG_DATA_HOME": str(root / "data")}
    return subprocess.run(
        [str(python), "-m", "pdsa_cli", *args], capture_output=True, text=True, env=env, cwd=root, check=False
    )


@pytest.mark.slow
def test_install_and_uninstall_a_local_plugin_folder_offline(tmp_path: Path) -> None:
    folder = _plugin_folder(tmp_path)
    python = _scratch_python(tmp_path)

    installed = _pdsa(python, tmp_path, "plugins", "install", str(folder))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert installed.stdout.splitlines() == ["Installed pdsa-syd-probe 0.1.0 (plugin: pdsa-syd-probe)"]
    listed = json.loads(_pdsa(python, tmp_path, "plugins", "list", "--json").stdout)
    (probe,) = [p for p in listed if p["name"] == "pdsa-syd-probe"]
    assert probe["registered"] == {"indicator_sets": ["syd-probe"]} and probe["errors"] == []
    assert list((tmp_path / "env").rglob("pdsa_syd_probe-0.1.0.dist-info")), "installed into the scratch env"

    again = _pdsa(python, tmp_path, "plugins", "install", str(folder))
    assert again.returncode == 0
    assert "no new pdsa plugin appeared" in again.stderr

    removed = _pdsa(python, tmp_path, "plugins", "uninstall", "pdsa-syd-probe")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert removed.stdout.splitlines() == ["Uninstalled pdsa-syd-probe 0.1.0"]
    listed = json.loads(_pdsa(python, tmp_path, "plugins", "list", "--json").stdout)
    assert "pdsa-syd-probe" not in [p["name"] for p in listed]


# -- at the subprocess boundary -------------------------------------------------------------------
class FakePip:
    """Records pip's command lines and answers as pip would."""

    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.calls: list[list[str]] = []
        self.answer = (returncode, stdout, stderr)

    def __call__(self, command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(command)
        code, out, err = self.answer
        return subprocess.CompletedProcess(command, code, out, err)


@pytest.fixture()
def fake_pip(monkeypatch: pytest.MonkeyPatch) -> FakePip:
    pip = FakePip()
    monkeypatch.setattr(subprocess, "run", pip)
    return pip


def test_pip_runs_with_pdsas_own_interpreter() -> None:
    assert pip_command("install", ["pdsa-region-syd"]) == [
        sys.executable,
        "-m",
        "pip",
        "install",
        "pdsa-region-syd",
    ]
    assert pip_command("install", ["a", "b"], upgrade=True, editable=True) == [
        sys.executable, "-m", "pip", "install", "--upgrade", "--editable", "a", "--editable", "b",
    ]  # fmt: skip
    assert pip_command("uninstall", ["a"]) == [sys.executable, "-m", "pip", "uninstall", "--yes", "a"]


def test_install_passes_the_options_to_pip(cli, fake_pip: FakePip, tmp_path: Path) -> None:
    folder = _plugin_folder(tmp_path)
    result = cli("plugins", "install", "--upgrade", "--editable", str(folder), workspace=False)
    assert fake_pip.calls == [
        [sys.executable, "-m", "pip", "install", "--upgrade", "--editable", str(folder)]
    ]
    assert result.exit_code == 0
    assert "no new pdsa plugin appeared" in result.stderr  # the fake installed nothing


def test_a_pip_failure_is_one_clear_line(cli, fake_pip: FakePip) -> None:
    fake_pip.answer = (
        1,
        "Collecting pdsa-nowhere\n",
        "ERROR: Could not find a version that satisfies the requirement pdsa-nowhere (from versions: none)\n"
        "ERROR: No matching distribution found for pdsa-nowhere\n",
    )
    result = cli("plugins", "install", "pdsa-nowhere", workspace=False)
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [
        "Error: pip could not install pdsa-nowhere (exit code 1): ERROR: Could not find a version that "
        "satisfies the requirement pdsa-nowhere (from versions: none); ERROR: No matching distribution "
        "found for pdsa-nowhere"
    ]
    danish = cli("--lang", "da", "plugins", "install", "pdsa-nowhere", workspace=False)
    assert danish.stderr.startswith("Fejl: pip kunne ikke installere pdsa-nowhere (afslutningskode 1)")


def test_pip_missing_from_the_environment_says_how_to_add_it(cli, fake_pip: FakePip) -> None:
    fake_pip.answer = (1, "", f"{sys.executable}: No module named pip\n")
    result = cli("plugins", "install", "pdsa-region-syd", workspace=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"add it with '{sys.executable} -m ensurepip'" in result.stderr


def test_editable_needs_a_plugin_folder(cli, fake_pip: FakePip, tmp_path: Path) -> None:
    result = cli("plugins", "install", "-e", str(tmp_path), workspace=False)
    assert result.exit_code != 0 and "--editable needs a plugin's folder" in result.stderr
    assert fake_pip.calls == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("pdsa-tracker", "pdsa cannot uninstall itself"),
        ("click", "click is installed but is not a pdsa plugin"),
        ("pdsa-nowhere", "no installed plugin 'pdsa-nowhere'"),
    ],
)
def test_uninstall_refuses_what_is_not_an_installed_plugin(
    cli, fake_pip: FakePip, name: str, message: str
) -> None:
    result = cli("plugins", "uninstall", name, workspace=False)
    assert result.exit_code != 0 and message in result.stderr, result.stderr
    assert fake_pip.calls == []
