"""What each lesson computes, Qt-free: ``run_demo(lesson)`` → a dict of numbers and arrays.

Every result has ``lines`` (what ``nnviz lesson NAME`` prints) and ``fill`` (the values for the
lesson text's ``{name}`` placeholders); the rest is what a view plots.
"""
from __future__ import annotations

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_


def _registry():
    from nnviz.lessons import gradcheck
    from nnviz.lessons.demos import apple, gates, initialisation, linear, networks, race, schedules
    return {"step": networks.step_demo, "train": networks.train_demo, "params": networks.param_table,
            "mnist": networks.mnist_demo, "gates": gates.gates_demo, "apple": apple.apple_demo,
            "linear": linear.collapse_demo, "init": initialisation.init_demo, "race": race.race_demo,
            "schedules": schedules.schedules_demo,
            "gradcheck": gradcheck.gradcheck_demo}


def run_demo(lesson, **overrides) -> dict:
    """Run the lesson's computation (``overrides`` replace its ``params``, e.g. fewer epochs)."""
    demos = _registry()
    if lesson.demo not in demos:
        raise NNVizError(N_("lesson {lesson}: unknown demo {demo}; valid: {valid}"), lesson=repr(lesson.name),
                         demo=repr(lesson.demo), valid=", ".join(demos))
    import inspect

    params = dict(lesson.params)
    accepts = inspect.signature(demos[lesson.demo]).parameters
    if lesson.preset is not None and "preset" in accepts:
        params.setdefault("preset", lesson.preset)
    if lesson.select is not None and lesson.demo == "step":
        params.setdefault("select", lesson.select)
    params.update(overrides)
    result = demos[lesson.demo](**params)
    result.setdefault("fill", {})
    result["text"] = lesson.filled_text(result["fill"])
    return result
