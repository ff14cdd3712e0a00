"""The `site-builder` command line. Each command lives in site_builder/commands/<name>.py.

Commands load lazily so `site-builder --help` stays fast and one command's heavy imports
(Playwright, uvicorn, Pillow) never slow another.
"""

from __future__ import annotations

import importlib

import click

from site_builder import __version__

# name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "backup": "site_builder.commands.backup:backup",
    "build": "site_builder.commands.build:command",
    "keys": "site_builder.commands.keys:command",
    "inbox": "site_builder.commands.inbox:command",
    "inspect": "site_builder.commands.inspect:command",
    "restore": "site_builder.commands.backup:restore",
    "schema": "site_builder.commands.schema:command",
    "validate": "site_builder.commands.validate:command",
    "serve": "site_builder.commands.serve:command",
    "watch": "site_builder.commands.watch:command",
    "notify": "site_builder.commands.notify:command",
    "verify": "site_builder.commands.verify:command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="site-builder")
def main() -> None:
    """Turn a school's documentation export into encrypted static bundles and an offline app."""
