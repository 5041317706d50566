"""Errors the core reports to people: each carries a clear message that is safe to show."""


class UserError(Exception):
    """Bad input: the message says exactly what is wrong; nothing was stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Refused(UserError):
    """The caller's role may not do this; nothing was changed."""
