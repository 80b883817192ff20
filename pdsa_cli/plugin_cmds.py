"""``pdsa plugins``: list the loaded plugins, scaffold a new one, name and trust a plugin folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import click

from pdsa_cli.output import echo, print_json
from pdsa_cli.trust import ask_trust
from pdsa_core import plugin_trust
from pdsa_core.errors import DuplicateError, ValidationError
from pdsa_core.i18n import add_texts, t

if TYPE_CHECKING:
    from pdsa_cli.context import AppContext

add_texts(
    {
        "plugins.hooks": ("hooks", "hooks"),
        "plugins.error": ("fejl", "error"),
        "plugins.none": (
            "Ingen plugins installeret. Se de indbyggede med 'pdsa plugins list --all', "
            "eller lav et med 'pdsa plugins new NAVN'.",
            "No plugins installed. See the built-in ones with 'pdsa plugins list --all', "
            "or make one with 'pdsa plugins new NAME'.",
        ),
        "plugins.created": (
            "Oprettede plugin-distributionen {dist} i {path}\n"
            "Installér den med:  pip install -e {path}\n"
            "Så viser 'pdsa plugins list' den. Test den med:  python -m pytest {path}",
            "Created the plugin distribution {dist} in {path}\n"
            "Install it with:  pip install -e {path}\n"
            "Then 'pdsa plugins list' shows it. Test it with:  python -m pytest {path}",
        ),
        "plugins.folder_set": (
            "Arbejdsområdet indlæser nu plugin-filer fra {path}",
            "The workspace now loads plugin files from {path}",
        ),
        "plugins.folder_missing": (
            "mappen {path} findes ikke endnu; plugins indlæses fra den, når den findes",
            "the folder {path} does not exist yet; plugins are loaded from it once it does",
        ),
        "plugins.folder_cleared": (
            "Arbejdsområdet nævner ikke længere en plugin-mappe",
            "The workspace no longer names a plugins folder",
        ),
        "plugins.folder_none": (
            "Arbejdsområdet nævner ingen plugin-mappe (sæt en med 'pdsa plugins folder MAPPE')",
            "The workspace names no plugins folder (set one with 'pdsa plugins folder FOLDER')",
        ),
        "plugins.folder_is": ("Plugin-mappe: {path}", "Plugins folder: {path}"),
        "plugins.untrusted": ("Ikke længere betroet: {path}", "No longer trusted: {path}"),
        "plugins.not_trusted": ("{path} var ikke betroet", "{path} was not trusted"),
        "plugins.trust_which": (
            "angiv en mappe: arbejdsområdet nævner ingen plugin-mappe",
            "name a folder: the workspace names no plugins folder",
        ),
        "plugins.installed": (
            "Installerede {name} {version} (plugin: {plugins})",
            "Installed {name} {version} (plugin: {plugins})",
        ),
        "plugins.upgraded": (
            "Opdaterede {name} fra {before} til {version} (plugin: {plugins})",
            "Updated {name} from {before} to {version} (plugin: {plugins})",
        ),
        "plugins.no_new_plugin": (
            "pip installerede {names}, men intet nyt pdsa-plugin kom til "
            "(en pakke er et pdsa-plugin, når den har et entry point i gruppen 'pdsa')",
            "pip installed {names}, but no new pdsa plugin appeared (a package is a pdsa plugin when it "
            "has an entry point in the group 'pdsa')",
        ),
        "plugins.uninstalled": ("Afinstallerede {name} {version}", "Uninstalled {name} {version}"),
    }
)

_KIND_TEXT = {
    "indicator_sets": ("indikatorsæt", "indicator sets"),
    "diagram_templates": ("driverdiagram-skabeloner", "diagram templates"),
    "importers": ("importører", "importers"),
    "data_sources": ("datakilder", "data sources"),
    "populations": ("populationer", "populations"),
    "rule_sets": ("regelsæt", "rule sets"),
    "instruments": ("instrumenter", "instruments"),
    "report_sections": ("rapportafsnit", "report sections"),
    "commands": ("kommandoer", "commands"),
}
_KIND_KEYS = {f"plugins.kind.{k}" for k in _KIND_TEXT}
add_texts({f"plugins.kind.{k}": v for k, v in _KIND_TEXT.items()})

_ORIGIN_TEXT = {
    "built-in": ("indbygget", "built-in"),
    "entry point": ("installeret", "entry point"),
    "folder": ("mappe", "folder"),
    "extra": ("ekstra", "extra"),
}
add_texts({f"plugins.origin.{k}": v for k, v in _ORIGIN_TEXT.items()})


def register(cli: click.Group) -> None:
    from pdsa_cli.context import pass_app

    @cli.group()
    def plugins() -> None:
        """Plugins: what is loaded, make a new one, the workspace's plugin folder."""

    @plugins.command("list")
    @click.option("--all", "show_all", is_flag=True, help="Include pdsa's built-in default plugins.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_app
    def plugins_list(app: AppContext, show_all: bool, as_json: bool) -> None:
        """List plugins: name, version, origin, hooks, what each registered, errors."""
        items = app.plugins().plugin_list(include_builtin=show_all)
        if as_json:
            print_json(items)
            return
        if not items:
            echo(t("plugins.none"))
            return
        for number, item in enumerate(items):
            if number:
                echo()
            _echo_plugin(item)

    @plugins.command("new")
    @click.argument("name")
    @click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help="Folder to create the distribution folder in.",
    )
    def plugins_new(name: str, directory: str) -> None:
        """Create a plugin distribution NAME (pyproject, module with example hooks, a test)."""
        path = scaffold_plugin(name, Path(directory))
        echo(t("plugins.created", dist=path.name, path=path))

    @plugins.command("install")
    @click.argument("names", nargs=-1, required=True, metavar="NAME...")
    @click.option("-U", "--upgrade", is_flag=True, help="Upgrade to the newest version.")
    @click.option(
        "-e", "--editable", is_flag=True, help="Install local plugin folders in editable mode (pip -e)."
    )
    def plugins_install(names: tuple[str, ...], upgrade: bool, editable: bool) -> None:
        """Install plugins into pdsa's own Python environment (pip install, as 'llm install' does).

        NAME is a distribution name (pdsa-region-syd), a version (pdsa-region-syd==1.2), a local
        plugin folder or a wheel file.
        """
        from pdsa_core.plugin_install import install_plugins

        result = install_plugins(names, upgrade=upgrade, editable=editable)
        for dist in result.added:
            echo(
                t("plugins.installed", name=dist.name, version=dist.version, plugins=", ".join(dist.plugins))
            )
        for dist, before in result.changed:
            echo(
                t(
                    "plugins.upgraded",
                    name=dist.name,
                    version=dist.version,
                    before=before,
                    plugins=", ".join(dist.plugins),
                )
            )
        if not result.added and not result.changed:
            echo(f"{t('warning')}: {t('plugins.no_new_plugin', names=' '.join(names))}", err=True)

    @plugins.command("uninstall")
    @click.argument("names", nargs=-1, required=True, metavar="NAME...")
    def plugins_uninstall(names: tuple[str, ...]) -> None:
        """Uninstall plugins from pdsa's Python environment (pip uninstall; plugins only).

        NAME is the plugin's distribution name or its plugin name (see 'pdsa plugins list').
        """
        from pdsa_core.plugin_install import uninstall_plugins

        for dist in uninstall_plugins(names):
            echo(t("plugins.uninstalled", name=dist.name, version=dist.version))

    @plugins.command("folder")
    @click.argument("path", required=False, type=click.Path(file_okay=False))
    @click.option("--clear", is_flag=True, help="Stop loading plugins from the workspace's folder.")
    @pass_app
    def plugins_folder(app: AppContext, path: str | None, clear: bool) -> None:
        """Show or set the folder of plugin .py files this workspace loads (setting plugins_dir).

        A relative PATH is relative to the current folder; it is stored relative to the
        workspace file when it lies beside it, so a workspace and its plugins can move together.
        """
        ws = app.workspace()
        if clear:
            ws.update_settings(plugins_dir=None)
            echo(t("plugins.folder_cleared"))
            return
        if path is None:
            from pdsa_core.plugins import workspace_plugins_dir

            current = workspace_plugins_dir(ws)
            echo(t("plugins.folder_is", path=current) if current else t("plugins.folder_none"))
            return
        folder = Path(path).expanduser().resolve()
        is_folder = folder.is_dir()  # a name the system refuses stops here, before anything is stored
        stored = str(folder)
        if "://" not in str(ws.location):
            base = Path(ws.location).resolve().parent
            if folder == base or base in folder.parents:
                stored = os.path.relpath(folder, base)
        ws.update_settings(plugins_dir=stored)
        echo(t("plugins.folder_set", path=folder))
        if not is_folder:
            echo(f"{t('warning')}: {t('plugins.folder_missing', path=folder)}", err=True)
            return
        # the user named this folder: its files as they are now may run (see 'pdsa plugins trust')
        plugin_trust.trust(folder)
        echo(t("plugins.trusted", path=folder, file=plugin_trust.trust_file()))

    @plugins.command("trust")
    @click.argument("path", required=False, type=click.Path(file_okay=False, exists=True))
    @click.option("--yes", "-y", is_flag=True, help="Do not ask (you have checked the files).")
    @pass_app
    def plugins_trust(app: AppContext, path: str | None, yes: bool) -> None:
        """Let pdsa run the plugin files in PATH (default: the folder the workspace names).

        A folder named by a workspace's settings runs only once you trust it; trust is
        remembered for you (not in the workspace) until a .py file in the folder changes.
        """
        ask_trust(_trust_folder(app, path), yes=yes)

    @plugins.command("untrust")
    @click.argument("path", required=False, type=click.Path(file_okay=False))
    @pass_app
    def plugins_untrust(app: AppContext, path: str | None) -> None:
        """Stop running the plugin files in PATH (default: the folder the workspace names)."""
        folder = _trust_folder(app, path)
        key = "plugins.untrusted" if plugin_trust.untrust(folder) else "plugins.not_trusted"
        echo(t(key, path=folder))


def _trust_folder(app: AppContext, path: str | None) -> Path:
    """PATH, or the folder the workspace names (as the loader resolves it)."""
    if path is not None:
        return Path(path).expanduser().resolve()
    from pdsa_core.plugins import workspace_plugins_dir

    folder = workspace_plugins_dir(app.workspace())
    if folder is None:
        raise ValidationError(t("plugins.trust_which"))
    return folder.resolve()


def _echo_plugin(item: dict[str, Any]) -> None:
    """One plugin as a short block: name and version, origin, hooks, what it registered, errors."""
    origin = item["origin"]
    origin_text = t(f"plugins.origin.{origin}") if origin in _ORIGIN_TEXT else origin
    where = f"{origin_text}: {item['location']}" if item["location"] else origin_text
    echo(item["name"], bold=True, nl=False)
    echo(f" {item['version']}  ({where})" if item["version"] else f"  ({where})")
    echo(f"  {t('plugins.hooks')}: {', '.join(item['hooks']) or '–'}")
    for kind, keys in item["registered"].items():
        echo(
            f"  {t('plugins.kind.' + kind) if 'plugins.kind.' + kind in _KIND_KEYS else kind}: "
            f"{', '.join(keys)}"
        )
    for error in item["errors"]:
        echo(f"  {t('plugins.error')}: {error}", fg="red")


# -- scaffold ------------------------------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$")


def plugin_names(name: str) -> tuple[str, str, str]:
    """(distribution, import package, short id) for NAME: ``region-syd`` -> pdsa-region-syd ..."""
    if not _NAME.match(name):
        raise ValidationError(
            f"a plugin name is letters and digits joined by '-' or '_', e.g. region-syd; got {name!r}"
        )
    short = re.sub(r"[-_]+", "-", name.lower())
    short = short.removeprefix("pdsa-") or short
    dist = f"pdsa-{short}"
    return dist, dist.replace("-", "_"), short


#: the scaffold's files: template in plugin_template/ -> where it goes in the new distribution
_TEMPLATE_DIR = Path(__file__).resolve().parent / "plugin_template"
_TEMPLATES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "{package}/__init__.py",
    "test_plugin.py.tmpl": "tests/test_{package}.py",
}


def scaffold_plugin(name: str, directory: Path) -> Path:
    """Write a plugin distribution for NAME into ``directory`` and return its folder.

    The files come from the templates in ``plugin_template/`` (``$dist``, ``$package``,
    ``$short`` and ``$title`` are filled in).
    """
    dist, package, short = plugin_names(name)
    root = directory / dist
    if root.exists() and any(root.iterdir()):
        raise DuplicateError(f"{root} already exists and is not empty; choose another name or --dir")
    values = {"dist": dist, "package": package, "short": short, "title": short.replace("-", " ")}
    for template, target in _TEMPLATES.items():
        text = (_TEMPLATE_DIR / template).read_text(encoding="utf-8")
        path = root / target.format(package=package)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(values), encoding="utf-8")
    return root
