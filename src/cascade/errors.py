"""The one exception for expected failures that stop a command (exit code 2)."""


class CascadeError(Exception):
    """A problem with how cascade was called, not with the plan: bad option, missing path."""
