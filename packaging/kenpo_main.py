"""The script PyInstaller freezes (packaging/kenpo.spec): the ``kenpo`` command itself."""

from kenpo_cli.cli.entry import main

if __name__ == "__main__":
    main()
