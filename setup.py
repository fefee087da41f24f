"""The compiled engine: the modules of plantwin named in plantwin/_build.py, compiled by
Cython from the same .py files that run interpreted (or, for the event heap, the defective
counts, the draws and the event log, from the .pyx beside its .py). Where no C compiler is
there the build leaves them out (optional extensions) and plantwin runs them interpreted.

IEEE arithmetic as the interpreter does it: no fast-math, no fused multiply-add contraction.
numpy's headers and its static ``npyrandom`` library give the compiled engine numpy's own
distribution functions (plantwin/sim/_counts.pyx, _draws.pyx).
"""

import runpy
from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILED = runpy.run_path("src/plantwin/_build.py")["COMPILED"]


def _source(name: str) -> str:
    base = Path("src/plantwin", *name.split("."))
    pyx = base.with_suffix(".pyx")
    return str(pyx if pyx.exists() else base.with_suffix(".py"))


NUMPY_RANDOM = Path(numpy.__file__).parent / "random" / "lib"
RANDOM = ("sim._counts", "sim._draws")  # the modules that call numpy's C distributions

extensions = [
    Extension(
        f"plantwin.{name}",
        [_source(name)],
        include_dirs=[numpy.get_include()],
        library_dirs=[str(NUMPY_RANDOM)],
        libraries=["npyrandom"] if name in RANDOM else [],
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
