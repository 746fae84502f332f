"""The NumPy engine: layers, activations, losses, initialisers, optimizers, schedules, trace.

No Qt is imported anywhere in this package (a test checks it).
"""
from nnviz.core.activations import ACTIVATIONS, get_activation
from nnviz.core.errors import (DataError, Diverged, ModelFileError, NNVizError, ShapeError,
                               TrainingRefused, UnknownNameError)
from nnviz.core.init import INITIALIZERS, get_initializer
from nnviz.core.inspect import Inspection, LayerView
from nnviz.core.layers import Dense
from nnviz.core.losses import LOSSES, get_loss
from nnviz.core.network import Network, build_mlp
from nnviz.core.optim import OPTIMIZERS, get_optimizer
from nnviz.core.schedules import SCHEDULES, get_schedule
from nnviz.core.trace import Trace
from nnviz.core.training import EpochResult, Trainer

__all__ = ["ACTIVATIONS", "LOSSES", "INITIALIZERS", "OPTIMIZERS", "SCHEDULES", "get_activation",
           "get_loss", "get_initializer", "get_optimizer", "get_schedule", "Dense", "Inspection",
           "LayerView", "Network", "build_mlp", "Trace", "Trainer", "EpochResult", "NNVizError",
           "UnknownNameError", "ShapeError", "TrainingRefused", "Diverged", "ModelFileError", "DataError"]
