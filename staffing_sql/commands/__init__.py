"""One module per command; COMMANDS is what the click group registers."""

from staffing_sql.commands.generate import generate

COMMANDS = [generate]
