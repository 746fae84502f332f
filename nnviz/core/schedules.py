"""Learning-rate schedules, applied once per epoch: ``lr(epoch)`` from the base rate.

Formulas follow ``torch.optim.lr_scheduler`` (epoch counted from 0).
"""
from __future__ import annotations

from nnviz.core.compact import CompactState
from nnviz.core.registry import Registry

SCHEDULES = Registry("schedule")


class Schedule(CompactState):
    """Base: ``lr(epoch, base_lr) -> float``; the constant schedule."""

    name = "constant"
    formula = "η_e = η₀"

    def lr(self, epoch: int, base_lr: float) -> float:
        return base_lr

    @property
    def hyperparameters(self) -> dict:
        return dict(vars(self))

    def __str__(self):
        hp = ", ".join(f"{k}={v}" for k, v in self.hyperparameters.items())
        return f"{self.name}({hp}): {self.formula}"


SCHEDULES["constant"] = Schedule


@SCHEDULES.register("step")
class StepLR(Schedule):
    """Step decay: multiply by γ every ``step_size`` epochs."""

    formula = "η_e = η₀·γ^⌊e / step_size⌋"

    def __init__(self, step_size: int = 10, gamma: float = 0.1):
        self.step_size, self.gamma = int(step_size), float(gamma)

    def lr(self, epoch, base_lr):
        return base_lr * self.gamma ** (epoch // self.step_size)


@SCHEDULES.register("multistep")
class MultiStepLR(Schedule):
    """Multi-step decay: multiply by γ at each milestone epoch (e.g. 50, 100, 160 with γ 0.5)."""

    formula = "η_e = η₀·γ^(number of milestones ≤ e)"

    def __init__(self, milestones=(50, 100, 160), gamma: float = 0.5):
        self.milestones, self.gamma = sorted(int(m) for m in milestones), float(gamma)

    def lr(self, epoch, base_lr):
        return base_lr * self.gamma ** sum(1 for m in self.milestones if m <= epoch)


@SCHEDULES.register("exponential")
class ExponentialLR(Schedule):
    """Exponential decay: multiply by γ every epoch."""

    formula = "η_e = η₀·γ^e"

    def __init__(self, gamma: float = 0.95):
        self.gamma = float(gamma)

    def lr(self, epoch, base_lr):
        return base_lr * self.gamma ** epoch


def get_schedule(name_or_obj=None, **kwargs) -> Schedule:
    """A :class:`Schedule` from its registered name (``None`` → constant)."""
    if name_or_obj is None:
        return Schedule()
    if isinstance(name_or_obj, Schedule):
        return name_or_obj
    return SCHEDULES.create(name_or_obj, **kwargs)
