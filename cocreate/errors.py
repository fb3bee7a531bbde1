"""Errors that services raise and every interface (pages, API, admin, tasks) translates the same way."""


class Conflict(Exception):
    """The request was valid but lost a race or no longer fits the object's state (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
