"""Asking the user whether the plugin files of a folder may run (``pdsa plugins trust``, and
before the TUI opens on a workspace whose plugins folder is not trusted yet)."""

from __future__ import annotations

from pathlib import Path

from pdsa_cli.asking import confirm
from pdsa_cli.output import echo
from pdsa_core import plugin_trust
from pdsa_core.i18n import add_texts, t

add_texts(
    {
        "plugins.trust_files": (
            "{path} har {count} .py-filer; pdsa kører dem ved hver kommando, med dine rettigheder:",
            "{path} holds {count} .py files; pdsa runs them on every command, with your rights:",
        ),
        "plugins.trust_ask": (
            "Har du set filerne igennem, og skal de køres fremover?",
            "Have you checked these files, and should they run from now on?",
        ),
        "plugins.trusted": (
            "Betroet: {path} (indtil en .py-fil i den ændres; huskes i {file})",
            "Trusted: {path} (until a .py file in it changes; remembered in {file})",
        ),
    }
)


def ask_trust(folder: Path, *, yes: bool = False, abort: bool = True) -> bool:
    """List the folder's .py files, ask whether they may run (unless ``yes``) and remember the
    answer yes; no aborts the command (``abort``) or returns False."""
    files = plugin_trust.plugin_files(folder)
    echo(t("plugins.trust_files", path=folder, count=len(files)))
    for file in files:
        echo(f"  {file.name}")
    if not yes and not confirm(t("plugins.trust_ask"), abort=abort):
        return False
    plugin_trust.trust(folder)
    echo(t("plugins.trusted", path=folder, file=plugin_trust.trust_file()))
    return True
