"""What every service mixin relies on from :class:`pdsa_core.workspace.Workspace`.

The mixins are only ever combined into ``Workspace``, which provides these; they are
declared here for type checkers only, so there is no runtime placeholder to call by mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from pdsa_core.storage import Snapshot, Transaction


class ServiceBase:
    actor: str
    now: Callable[[], str]

    if TYPE_CHECKING:

        def snapshot(self) -> Snapshot: ...

        def transaction(self) -> AbstractContextManager[Transaction]: ...

        def derived(self, key: str, build: Callable[[Snapshot], Any]) -> Any: ...

        def new_id(self, prefix: str) -> str: ...

        def emit(self, name: str, **payload: Any) -> None: ...

        def today(self) -> str: ...


def remembered(_snap: Snapshot) -> dict[Any, Any]:
    """A new, empty memo for :meth:`derived`: answers of a lookup (a team by name, an indicator
    by code) remembered until the workspace changes, when the memo is dropped with the rest."""
    return {}
