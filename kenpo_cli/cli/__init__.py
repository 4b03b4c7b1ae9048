"""The command line: Typer's app (``app.py``), the entry point, ``--help`` and usage errors,
and ``kenpo check``'s steps and wizard. The only layer that reads the clock, the terminal
and the environment; it gathers facts, calls the core and hands the verdict to render."""
