"""Name → class tables, so the CLI and the UI can list and build every piece by name."""
from __future__ import annotations

from nnviz.core.errors import UnknownNameError


class Registry(dict):
    """A ``{"adam": Adam, ...}`` dict that names its kind in errors.

    >>> r = Registry("optimizer"); r["sgd"] = object
    >>> r.get_cls("sgd") is object
    True
    """

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def register(self, name: str):
        """Class decorator: ``@REG.register("sgd")`` stores the class and sets ``cls.name``."""
        def deco(cls):
            cls.name = name
            self[name] = cls
            return cls
        return deco

    def get_cls(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self.keys()) from None

    def create(self, name: str, **kwargs):
        return self.get_cls(name)(**kwargs)

    def describe(self) -> dict[str, str]:
        """Name → first docstring line, for listings and tooltips."""
        return {n: (c.__doc__ or "").strip().splitlines()[0] if c.__doc__ else "" for n, c in self.items()}
