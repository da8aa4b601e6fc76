"""The one error type a user sees: a single line, exit code 2."""

from __future__ import annotations

import click

EXIT_CHECK_FAILED = 1
EXIT_CANNOT_RUN = 2


class CannotRun(click.ClickException):
    """Bad input or a refused start: one line naming the file and the problem."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, message: str):
        # A message must stay one line whatever the data put into it.
        super().__init__(" ".join(str(message).split()))
