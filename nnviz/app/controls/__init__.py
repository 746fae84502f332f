"""The controls panel (``ControlsPanel``) and the pieces it is made of.

* :mod:`.table`: the one table of fields (``FIELDS``) and the generic widget of a row;
* :mod:`.fields`: text checks, parsers and widget makers;
* :mod:`.data_group`, :mod:`.network_group`, :mod:`.training_group`: the three groups, with
  the custom rows (dataset list, hidden layers, optimizer and schedule parameters);
* :mod:`.panel`: the panel, its public API and signals.
"""
from .data_group import dataset_kind, dataset_names
from .fields import FieldCheck, fmt_number, registry_tooltip
from .panel import ControlsPanel
from .table import FIELDS, Field

__all__ = ["FIELDS", "ControlsPanel", "Field", "FieldCheck", "dataset_kind", "dataset_names",
           "fmt_number", "registry_tooltip"]
