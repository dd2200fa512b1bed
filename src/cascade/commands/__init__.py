"""One module per `cascade` command; `cli.py` registers them on the typer app."""
