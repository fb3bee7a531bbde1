"""The stand-in servers' own plumbing (each platform's behaviour is tested with its adapter)."""

import time

from publishing.standins.server import Reply, StandInServer


class Echo(StandInServer):
    def respond(self, method, path, headers, body) -> Reply:
        return Reply(200, {"path": path})


def test_it_stops_a_stand_in_at_once():
    """Hundreds of tests start and stop one; serve_forever's default 0.5 s poll made each stop wait for it."""
    stand_ins = [Echo() for _ in range(5)]
    for stand_in in stand_ins:
        stand_in.start_server()
    started = time.monotonic()
    for stand_in in stand_ins:
        stand_in.stop()
    assert time.monotonic() - started < 0.5
