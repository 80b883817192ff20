"""What every service mixin relies on from :class:`pdsa_core.workspace.Workspace`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from pdsa_core.storage import Snapshot, Transaction


class ServiceBase:
    actor: str
    now: Callable[[], str]

    def snapshot(self) -> Snapshot:  # pragma: no cover - provided by Workspace
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[Transaction]:  # pragma: no cover
        raise NotImplementedError

    def derived(self, key: str, build: Callable[[Snapshot], Any]) -> Any:  # pragma: no cover
        raise NotImplementedError

    def new_id(self, prefix: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def emit(self, name: str, **payload: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def today(self) -> str:  # pragma: no cover
        raise NotImplementedError
