"""The user's own folders for pdsa: data (the default workspace) and configuration (trust).

Per platform: AppData on Windows, Application Support on macOS, the XDG base directories
elsewhere (an empty ``XDG_*`` variable counts as unset, as the XDG specification says).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal


def user_folder(kind: Literal["data", "config"]) -> Path:
    """The folder pdsa keeps the user's ``kind`` of files in (``…/pdsa``; not created here)."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    elif kind == "config":
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "pdsa"
