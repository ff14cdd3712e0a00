"""site-builder: encrypted static bundles and an offline family app from a school export."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("site-builder")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
