"""One module per command; COMMANDS is what the click group registers."""

from staffing_sql.commands.audit import audit
from staffing_sql.commands.build import build
from staffing_sql.commands.gap_report import gap_report
from staffing_sql.commands.generate import generate
from staffing_sql.commands.lint import lint
from staffing_sql.commands.normalize_phones import normalize_phones
from staffing_sql.commands.render import render

COMMANDS = [generate, normalize_phones, build, audit, gap_report, render, lint]
