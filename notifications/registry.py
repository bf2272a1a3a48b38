"""The kinds of notification and the collectors that find due ones.

Each app declares them in `<app>/notifications.py` (imported by NotificationsConfig.ready()):

    register_kind("step-due-7", label=_("Plazo en 7 días"), description=...)
    register_collector(step_deadlines_collect)   # func(*, today) -> None

A kind's e-mail is rendered from templates/notifications/email/<template>_subject.txt, .txt and
.html. `render_context(notification, user) -> dict` adds values at send time (in the recipient's
language and zone); `attachments(notification) -> [(filename, bytes, mimetype)]` adds files.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Attachment = tuple[str, bytes, str]
Collector = Callable[..., None]


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # lazy translation
    description: Any
    template: str
    render_context: Callable[[Any, Any], dict] | None
    attachments: Callable[[Any], list[Attachment]] | None


_kinds: dict[str, Kind] = {}
_collectors: list[Collector] = []


def register_kind(
    key: str,
    *,
    label,
    description="",
    template: str | None = None,
    render_context: Callable[[Any, Any], dict] | None = None,
    attachments: Callable[[Any], list[Attachment]] | None = None,
) -> Kind:
    kind = Kind(
        key=key,
        label=label,
        description=description,
        template=template or key,
        render_context=render_context,
        attachments=attachments,
    )
    _kinds[key] = kind
    return kind


def register_collector(func: Collector) -> Collector:
    """Register func(*, today: datetime.date) -> None; usable as a decorator."""
    if func not in _collectors:
        _collectors.append(func)
    return func


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def kind_get(key: str) -> Kind:
    return _kinds[key]


def collectors() -> list[Collector]:
    return list(_collectors)


def collectors_run(*, today: datetime.date) -> None:
    for collector in collectors():
        collector(today=today)
