"""The package version, a constant so that ``plantwin --version`` needs no package metadata."""

__version__ = "0.1.0"
