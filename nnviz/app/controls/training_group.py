"""The Training group: optimizer (with its own hyper-parameters), learning rate, schedule
(with its own), batch size, epochs, L1/L2, seed and precision."""
from __future__ import annotations

import inspect

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget

from nnviz.core import OPTIMIZERS, SCHEDULES
from nnviz.experiment import LIVE_SETTINGS, Settings
from nnviz.i18n import N_, _

from .fields import (FieldCheck, fmt_number, make_line_edit, make_spin, parse_float, parse_int,
                     parse_milestones)
from .group import FormGroup


def schedule_params(cls) -> dict:
    """A schedule's keyword parameters and their defaults."""
    try:
        sig = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return {}
    return {n: p.default for n, p in sig.parameters.items()
            if n != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _hyper_fields() -> dict:
    """Optimizer option → (label, parser, tooltip), marked texts, for the options the optimizers take."""
    return {
        "momentum": (N_("Momentum μ"), parse_float(0.0, 1.0, max_open=True, example="0.9"),
                     N_("Momentum μ (0 ≤ μ < 1): how much of the previous step is kept. "
                        "0.9 means steps build up like a ball rolling downhill.")),
        "beta1": ("β₁", parse_float(0.0, 1.0, max_open=True, example="0.9"),
                  N_("β₁: how fast Adam forgets old gradients in its running average "
                     "(the momentum part); usually 0.9.")),
        "beta2": ("β₂", parse_float(0.0, 1.0, max_open=True, example="0.999"),
                  N_("β₂: how fast Adam forgets old squared gradients (the per-weight "
                     "step size part); usually 0.999.")),
        "alpha": (N_("α (decay)"), parse_float(0.0, 1.0, max_open=True, example="0.99"),
                  N_("α: how fast RMSprop forgets old squared gradients; usually 0.99.")),
        "eps": ("ε", parse_float(0.0, 1.0, min_open=True, example="1e-8"),
                N_("ε: a tiny number added before dividing, so a weight whose gradients "
                   "were all zero does not divide by zero.")),
    }


def _schedule_fields() -> dict:
    return {
        "step_size": (N_("Step every"), parse_int(1, example="10"),
                      N_("Multiply the learning rate by γ every this many epochs.")),
        "milestones": (N_("At epochs"), parse_milestones,
                       N_("Epochs where the learning rate is multiplied by γ, e.g. 50, 100, 160.")),
        "gamma": (N_("Factor γ"), parse_float(0.0, min_open=True, example="0.5"),
                  N_("γ: the factor the learning rate is multiplied by (below 1 lowers it).")),
    }


BATCH_TIP = N_("Batch size: how many samples are looked at before each weight update. 1 = stochastic "
               "gradient descent (a noisy step per sample); larger batches give smoother but fewer "
               "steps per epoch.")


class TrainingGroup(FormGroup):
    """The training rows; an optimizer's and a schedule's own parameters show when chosen."""

    GROUP = "training"

    # ------------------------------------------------------------------ rows
    def _option_edit(self, key: str, label: str, parse, tip: str, on_commit) -> QLineEdit:
        edit = make_line_edit()
        chk = self.checks[key] = FieldCheck(edit, parse, tip, parent=self)
        chk.committed.connect(on_commit)
        self.add_row(label, tip, edit)
        return edit

    def _build_optimizer_options(self) -> None:
        known = _hyper_fields()
        keys = [k for k in known if any(k in getattr(c, "defaults", {}) for c in OPTIMIZERS.values())]
        for cls in OPTIMIZERS.values():  # anything registered later, after the known ones
            for k in getattr(cls, "defaults", {}):
                if k != "lr" and k not in keys:
                    keys.append(k)
        self.hyper_edits: dict[str, QLineEdit] = {}
        for k in keys:
            label, parse, tip = known.get(k, (k, parse_float(example="0.5"), k))
            self.hyper_edits[k] = self._option_edit(f"opt.{k}", label, parse, tip, lambda v, k=k: (
                self._set_option("optimizer_options", k, float(v))))

    def _build_schedule_options(self) -> None:
        known = _schedule_fields()
        keys = []
        for cls in SCHEDULES.values():
            for k in schedule_params(cls):
                if k not in keys:
                    keys.append(k)
        self.schedule_edits: dict[str, QLineEdit] = {}
        for k in keys:
            label, parse, tip = known.get(k, (k, parse_float(example="1"), k))
            self.schedule_edits[k] = self._option_edit(
                f"schedule.{k}", label, parse, tip, lambda v, k=k: self._set_option("schedule_options", k, v))

    def _build_batch_size(self) -> None:
        self.batch_spin = make_spin(1, 1_000_000, width=90)
        self.batch_spin.valueChanged.connect(self._on_batch_changed)
        self.full_batch_check = QCheckBox()
        self.full_batch_check.toggled.connect(self._on_batch_changed)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.batch_spin)
        row.addWidget(self.full_batch_check, 1)
        self.add_row(N_("Batch size"), BATCH_TIP, self.batch_spin, row)

    def _retranslate_rows(self) -> None:
        self.batch_spin.setToolTip(_(BATCH_TIP))
        self.batch_spin.setSpecialValueText(_("1 (SGD)"))  # shown for the minimum, 1
        self.full_batch_check.setText(_("Full batch"))
        self.full_batch_check.setToolTip(_(
            "Use the whole training set for every step (batch gradient descent): one smooth "
            "step per epoch."))

    def _tab_optimizer_options(self) -> list[QWidget]:
        return list(self.hyper_edits.values())

    def _tab_schedule_options(self) -> list[QWidget]:
        return list(self.schedule_edits.values())

    def _tab_batch_size(self) -> list[QWidget]:
        return [self.batch_spin, self.full_batch_check]

    # ------------------------------------------------------------------ load
    def load(self, s: Settings) -> None:
        self.load_fields(s)
        self._show_optimizer_fields()
        self._show_schedule_fields()
        full = not s.batch_size
        self.full_batch_check.setChecked(full)
        if not full:
            self.batch_spin.setValue(min(int(s.batch_size), self.batch_spin.maximum()))  # (no overflow)
        self.batch_spin.setEnabled(not full)

    def _show_optimizer_fields(self) -> None:
        """Show the current optimizer's hyper-parameters (their values or defaults)."""
        cls = OPTIMIZERS.get(self.s.optimizer)
        defaults = dict(getattr(cls, "defaults", {}) or {})
        for k, edit in self.hyper_edits.items():
            on = k in defaults
            self.form.setRowVisible(edit, on)
            text = fmt_number(self.s.optimizer_options.get(k, defaults[k])) if on else ""
            self.checks[f"opt.{k}"].set_text(text)

    def _show_schedule_fields(self) -> None:
        name = self.s.schedule
        cls = SCHEDULES.get(name or "constant")
        params = schedule_params(cls) if cls is not None and name not in (None, "constant") else {}
        for k, edit in self.schedule_edits.items():
            on = k in params
            self.form.setRowVisible(edit, on)
            chk = self.checks[f"schedule.{k}"]
            if not on:
                chk.set_text("")
                continue
            v = self.s.schedule_options.get(k, params[k])
            chk.set_text(", ".join(str(int(m)) for m in v) if k == "milestones" else fmt_number(v))

    # ------------------------------------------------------------------ user edits
    def _after_optimizer(self) -> None:
        self._show_optimizer_fields()
        self.draft.relink()

    def _after_schedule(self) -> None:
        self._show_schedule_fields()
        self.draft.relink()

    def _set_option(self, field: str, key: str, value) -> None:
        if self.draft.loading:
            return
        setattr(self.s, field, {**getattr(self.s, field), key: value})
        self.draft.changed(field not in LIVE_SETTINGS)

    def _on_batch_changed(self, *_args) -> None:
        full = self.full_batch_check.isChecked()
        self.batch_spin.setEnabled(not full)
        if self.draft.loading:
            return
        self.s.batch_size = None if full else int(self.batch_spin.value())
        self.draft.changed("batch_size" not in LIVE_SETTINGS)
