"""Build hook: kenpo's data files are also written as Python modules in the wheel.

pyproject.toml holds everything else; this adds one step to building the package:
after the files are copied, each TOML file of kenpo_cli/data is parsed once and written
as kenpo_cli/_compiled/<name>.py (kenpo_cli/datafiles.py says why and how it is read).
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        # Loaded by its path: a PEP 517 build does not put the project on sys.path.
        spec = importlib.util.spec_from_file_location("datafiles", Path("kenpo_cli/datafiles.py"))
        assert spec is not None and spec.loader is not None
        datafiles = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(datafiles)
        datafiles.compile_to(Path(self.build_lib, "kenpo_cli", "_compiled"), Path("kenpo_cli/data"))


setup(cmdclass={"build_py": BuildPy})
