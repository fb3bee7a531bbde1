"""The embedded broker: kombu's filesystem transport, with files that are never seen half-written.

kombu's own transport writes files in place, and two of them are read while being written:
- a message: `_put` creates the file and then fills it, while a consumer may already have listed, moved and
  read the empty file (the worker then dies on a JSONDecodeError; seen in `make run`);
- an exchange's binding table: `_queue_bind` truncates and rewrites it while a producer in another process
  reads it to route a message (the publish then fails on a JSONDecodeError; seen in tests/test_broker.py).
Here both are written under a name nobody reads and renamed into place (a rename is atomic within one
folder); changes to a binding table take a lock on a separate file, so two processes never lose each
other's bindings.

Registered as the transport `cocreatefs://` (settings.py uses it when there is no REDIS_URL).
"""

import contextlib
import fcntl
import os
import uuid
from time import monotonic

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

ALIAS = "cocreatefs"


def _write_whole(path, data: bytes):
    """Write `data` to `path` so that a reader sees the old file or the new one, never part of one."""
    # No ".<queue>.msg" or ".exchange" ending: consumers skip the file until it is renamed.
    partial = os.path.join(os.path.dirname(path), f"writing-{uuid.uuid4()}")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(partial)
        raise


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        try:
            _write_whole(final, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc

    # The exchange's binding table.

    def get_table(self, exchange):
        file = self._exchange_file(exchange)
        try:
            return [filesystem.exchange_queue_t(*row) for row in loads(bytes_to_str(file.read_bytes()))]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot open {file}") from exc

    @contextlib.contextmanager
    def _table_locked(self, exchange):
        """Hold the exchange's lock file while its table is read, changed and replaced."""
        self.control_folder.mkdir(exist_ok=True)
        file = self._exchange_file(exchange)
        with open(f"{file}.lock", "ab") as lock_file:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            try:
                yield file
            finally:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _change_table(self, exchange, change):
        try:
            with self._table_locked(exchange) as file:
                rows = self.get_table(exchange)
                changed = change(rows)
                if changed is not None:
                    _write_whole(str(file), str_to_bytes(dumps(changed)))
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot update the table of exchange {exchange!r}") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda rows: None if entry in rows else [entry, *rows])

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # Skip filesystem.Channel._delete (it rewrites the table in place); the virtual base drops the queue.
        super(filesystem.Channel, self)._delete(queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda rows: [row for row in rows if row != entry] if entry in rows else None)


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[ALIAS] = f"{__name__}:Transport"
