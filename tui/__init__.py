"""The pdsa meeting screen: a Textual app over :mod:`pdsa_core`.

Every action here calls a :class:`pdsa_core.workspace.Workspace` method (or another core
function) that the CLI can also reach; the TUI draws what the core returns.
Start it with :func:`tui.app.run_app`.
"""
