"""The one exception for expected failures that stop a command (exit code 2)."""


class CascadeError(Exception):
    """A problem with how cascade was called, not with the plan: bad option, missing path."""


def internal_error(exc: BaseException) -> str:
    """The one line a bug in cascade becomes: never a traceback."""
    return f"cascade: internal error: {type(exc).__name__}: {exc}"
