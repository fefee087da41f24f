"""The compiled engine: the modules of plantwin.sim named in plantwin/_build.py, compiled by
Cython from the same .py files that run interpreted. Where no C compiler is there the build
leaves them out (optional extensions) and plantwin runs them interpreted.

IEEE arithmetic as the interpreter does it: no fast-math, no fused multiply-add contraction.
"""

import runpy

from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILED = runpy.run_path("src/plantwin/_build.py")["COMPILED"]

extensions = [
    Extension(
        f"plantwin.sim.{name}",
        [f"src/plantwin/sim/{name}.py"],
        extra_compile_args=["-O2", "-ffp-contract=off", "-fno-fast-math"],
        optional=True,
    )
    for name in COMPILED
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives={"language_level": 3, "annotation_typing": False},
        quiet=True,
    )
)
