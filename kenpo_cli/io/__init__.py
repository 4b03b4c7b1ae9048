"""Files and streams: standard streams made safe, small files read with a cap, output
files written whole or not at all (never onto an input, never through a symlink), the
answers file, and the ``--ics`` calendar file."""
