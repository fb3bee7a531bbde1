"""Log lines that say which draft, publication and channel they are about.

The Celery task entry points set the ids (`publication_log_context`, `draft_event_log_context`) in
context variables for the length of the task; every log record made meanwhile carries them as
`draft_id`, `publication_id` and `channel_id` ("-" when unknown), which the formats in settings.LOGGING
and the worker's log formats print, and which Sentry events carry as tags. Context variables, not
thread-locals, so a thread or coroutine never sees another's ids.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("draft_id", "publication_id", "channel_id")
_ids: dict[str, ContextVar[int | None]] = {name: ContextVar(f"log_{name}", default=None) for name in FIELDS}

# For the formats in settings.py: the ids of the record, "-" for those not known.
CONTEXT_FORMAT = "[draft=%(draft_id)s publication=%(publication_id)s channel=%(channel_id)s]"


def current_ids() -> dict[str, int]:
    """The ids known now (only those set)."""
    return {name: value for name, var in _ids.items() if (value := var.get()) is not None}


@contextmanager
def log_context(**ids: int | None) -> Iterator[None]:
    """Within the block, log records carry these ids (the others keep their outer values)."""
    unknown = set(ids) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown log context fields: {sorted(unknown)}")
    tokens = [(_ids[name], _ids[name].set(value)) for name, value in ids.items() if value is not None]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def publication_log_context(publication_id: int):
    """The publication's ids and those of its draft and channel (one small query)."""
    from publishing.models import Publication

    row = Publication.objects.filter(pk=publication_id).values_list("draft_id", "channel_id").first()
    draft_id, channel_id = row or (None, None)
    return log_context(publication_id=publication_id, draft_id=draft_id, channel_id=channel_id)


def draft_event_log_context(event_id: int):
    from drafts.models import DraftEvent

    return log_context(draft_id=DraftEvent.objects.filter(pk=event_id).values_list("draft_id", flat=True).first())


def install_record_factory() -> None:
    """Make every log record carry the current ids (once per process; settings.py calls it)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_log_context", False):
        return

    def record_factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        for name, var in _ids.items():
            value = var.get()
            setattr(record, name, "-" if value is None else value)
        return record

    record_factory.adds_log_context = True
    logging.setLogRecordFactory(record_factory)
