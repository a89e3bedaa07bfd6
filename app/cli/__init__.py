"""Command-line interface. Commands and their output are stable: scripts and operators rely on them."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.cli import (
        calendar_cmd,
        clock_cmd,
        init_cmd,
        models_cmd,
        reports_cmd,
        rules_cmd,
        scheduler_cmd,
        timers_cmd,
        users_cmd,
    )

    app.cli.add_command(init_cmd.init)
    app.cli.add_command(init_cmd.seed)
    app.cli.add_command(users_cmd.users)
    app.cli.add_command(clock_cmd.clock_group)
    app.cli.add_command(timers_cmd.timers)
    app.cli.add_command(models_cmd.bpmn)
    app.cli.add_command(reports_cmd.reports)
    app.cli.add_command(calendar_cmd.calendar_group)
    app.cli.add_command(rules_cmd.rules_group)
    app.cli.add_command(scheduler_cmd.scheduler)
