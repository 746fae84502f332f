"""What each command does, on the worker thread between two batches, and the one table
(:data:`HANDLERS`, command type → handler) the worker dispatches through.

:class:`CommandHandlers` is a mixin of :class:`~nnviz.app.training.worker.TrainingWorker`: the
handlers use its training state. Every edit is followed by a forced snapshot, so the window
shows its effect at once even while paused; a handler that raises ``NNVizError`` pauses
training with the message (see ``TrainingWorker._guarded``).
"""
from __future__ import annotations

import math
import time

import numpy as np

from nnviz.app.training import commands as cmd
from nnviz.app.training.snapshots import grid_axes
from nnviz.core.errors import N_, Diverged, NNVizError
from nnviz.i18n import _, message

RUNNING, PAUSED = "running", "paused"
_clock = time.perf_counter


class CommandHandlers:
    """Handlers, one per command type (see :data:`HANDLERS`), and the one-batch step they share
    with the worker's loop."""

    def _train_one(self):
        """One batch (and the epoch's end when it is the last); ``None`` if it could not run."""
        if self._race is not None:  # a race: every variant takes the batch (issue 20)
            from nnviz.app.timeline.race import race_step
            return race_step(self)
        if not self._require_trainer():
            return None
        trainer = self._exp.trainer
        t = _clock()
        try:
            result = trainer.train_batch()
        except Diverged as exc:
            self._on_diverged(exc)
            return None
        self.stats.train_seconds += _clock() - t
        self.stats.batches += 1
        self._global_step = result.global_step
        self._last_loss = float(result.loss)
        self._loss_steps.append(result.global_step)  # array.array: no Python object per batch
        self._loss_values.append(self._last_loss)
        self._rate_samples += result.samples
        if result.epoch_done:
            self._end_epoch()
        elif self._timeline is not None:
            self._timeline.record(trainer, self._last_loss)
        return result

    def _count_steps(self, n: int) -> None:
        """``n`` training steps taken outside the trainer's batches (an applied traced step, a
        fine-tune): they count in ``global_step`` (the trainer's, which the snapshots carry)."""
        trainer = self._exp.trainer
        if trainer is not None:
            trainer.global_step += int(n)
            self._global_step = trainer.global_step
        else:
            self._global_step += int(n)

    def _pin(self) -> None:
        """The run changed outside its batches (a setting, an edited weight, a fine-tune): the
        timeline keeps this state for good, so a replay past it starts from it (issue 20)."""
        if self._timeline is not None and self._exp.trainer is not None:
            self._timeline.record(self._exp.trainer, pin=True)

    def _require_trainer(self) -> bool:
        if self._exp.trainer is not None:
            return True
        self._fail(_("This network cannot be trained: the step activation has no "
                     "gradient. Choose sigmoid (its smooth version) to let it learn."))
        return False

    def _on_play(self, c: cmd.Play) -> None:
        if not self._require_trainer():
            return
        trainer = self._exp.trainer
        if trainer.epoch >= self._epoch_limit:
            self._epoch_limit = trainer.epoch + int(self._exp.settings.epochs)
        self._until_epoch_end = False
        self._start_running()

    def _on_pause(self, c: cmd.Pause) -> None:
        self._end_run(PAUSED if self._state == RUNNING else self._state)

    def _on_step_batch(self, c: cmd.StepBatch) -> None:
        self._until_epoch_end = False
        if self._train_one() is not None:
            self._end_run(PAUSED)

    def _on_step_epoch(self, c: cmd.StepEpoch) -> None:
        if not self._require_trainer():
            return
        self._until_epoch_end = True
        self._start_running()

    def _on_set_param(self, c: cmd.SetParam) -> None:
        net, layer, name, value = self._exp.net, c.layer, c.name, c.value
        if not math.isfinite(value):
            raise NNVizError(N_("a weight must be a finite number, got {value}"), value=value)
        if not 0 <= layer < len(net.layers) or name not in net.layers[layer].params:
            raise NNVizError(N_("there is no parameter {name} in layer {layer}"), name=name, layer=layer)
        arr = net.layers[layer].params[name]
        if c.index is not None:
            index = c.index
            if len(index) != arr.ndim or any(not 0 <= i < n for i, n in zip(index, arr.shape)):
                raise NNVizError(N_("layer {layer} {name} has shape {shape}; there is no entry {index}"),
                                 layer=layer, name=name, shape=arr.shape, index=index)
            net.set_param(layer, name, value, index=index)
        else:
            net.set_param(layer, name, np.full(arr.shape, value))
        self._pin()
        self._emit_snapshot(True, self._state != RUNNING)

    def _on_set_speed(self, c: cmd.SetSpeed) -> None:
        self._delay = max(0.0, float(c.delay_ms)) / 1000.0

    def _on_set_sample(self, c: cmd.SetSample) -> None:
        self._sample = max(0, c.index)
        self._emit_snapshot(True, self._state != RUNNING)

    def _on_apply_settings(self, c: cmd.ApplySettings) -> None:
        """Live-tunable settings (no new network): optimizer and its options, lr, L1/L2,
        schedule and the number of epochs of a run."""
        from nnviz.core.schedules import get_schedule
        from nnviz.experiment import LIVE_SETTINGS, make_optimizer

        exp = self._exp
        # only what may change while training runs; the rest needs a new experiment
        settings = exp.settings.replace(**{k: getattr(c.settings, k) for k in LIVE_SETTINGS})
        # the run's end moves with the number of epochs it was planned for
        self._epoch_limit += int(settings.epochs) - int(exp.settings.epochs)
        old = exp.optimizer
        new = make_optimizer(settings)
        if type(new) is type(old):  # keep the optimizer's state (momentum, Adam moments)
            new.state, new.t = old.state, old.t
        exp.optimizer = new
        exp.settings = settings
        if exp.trainer is not None:
            exp.trainer.optimizer = new
            exp.trainer.base_lr = new.lr
            exp.trainer.schedule = get_schedule(settings.schedule, **settings.schedule_options)
        self._pin()  # a replay past this step trains with these settings
        self._emit_snapshot(True, self._state != RUNNING)

    def _on_save_model(self, c: cmd.SaveModel) -> None:
        from nnviz.core.model_io import save_model

        try:
            if c.timeline is not None:   # with the run's timeline (issue 20)
                from nnviz.app.timeline.runfiles import save_on_worker
                written = save_on_worker(self, c.path, c.extra, c.timeline)
            else:
                written = save_model(self._exp.net, c.path, extra=c.extra)
        except NNVizError as exc:  # a bad path is no reason to pause training
            self.signals.saveFailed.emit(message(exc))
            return
        self.signals.saved.emit(str(written))

    def _on_fine_tune(self, c: cmd.FineTune) -> None:
        """A few steps on the learner's digits (mixed with training samples), shown live."""
        exp = self._exp
        net, data, s = exp.net, exp.data, exp.settings
        if c.images.shape[1] != net.n_inputs:
            raise NNVizError(N_("these digits have {pixels} pixels but the network has {inputs} inputs"),
                             pixels=c.images.shape[1], inputs=net.n_inputs)
        if not net.can_train():
            raise NNVizError(N_("this network cannot be trained (the step activation has no gradient)"))
        if not getattr(data, "is_classification", False) or c.labels.max() >= net.n_outputs:
            raise NNVizError(N_("the network does not read these classes: it has {n} outputs"),
                             n=net.n_outputs)
        rng = np.random.default_rng(c.seed)
        mix = min(c.mix, len(data.x_train)) if data.x_train.shape[1] == net.n_inputs else 0
        x_own = c.images  # raw pixels, scaled below by the data's own rule
        if data.x_train.dtype == np.uint8:
            x_own = np.clip(np.rint(x_own), 0, 255).astype(np.uint8)
        opt = exp.optimizer
        old_lr = opt.lr
        opt.lr = c.lr
        if self._state == RUNNING:
            self._set_state(PAUSED)
        try:
            for _step in range(max(0, c.steps)):
                if self._stop.is_set():
                    break
                own = np.arange(len(c.labels))
                if len(own) > c.batch:
                    own = rng.choice(own, c.batch, replace=False)
                x_raw, y = x_own[own], c.labels[own]
                if mix:
                    pick = rng.choice(len(data.x_train), mix, replace=False)
                    x_raw = np.concatenate([x_raw, data.x_train[pick]])
                    y = np.concatenate([y, np.asarray(data.y_train[pick], dtype=np.int64)])
                x = data.inputs(x_raw, dtype=net.dtype)
                t = data.targets(y, dtype=net.dtype, off=s.target_off, on=s.target_on,
                                 n_outputs=net.n_outputs)
                self._last_loss = float(net.train_step(x, t, opt))
                self._count_steps(1)  # a fine-tune's steps are training steps too
                self._emit_snapshot()  # throttled: the window follows the steps live
        finally:
            opt.lr = old_lr
        self._pin()
        self._end_run(PAUSED)

    def _on_replace_experiment(self, c: cmd.ReplaceExperiment) -> None:
        self._set_experiment(c.exp)
        self._set_state(PAUSED)
        self._emit_snapshot(True, True)

    def _on_trace_step(self, c: cmd.TraceStep) -> None:
        import copy

        from nnviz.app.training.snapshots import target_rows, target_values
        from nnviz.lessons import record_step

        if self._state == RUNNING:
            self._end_run(PAUSED)
        exp = self._exp
        if c.pixels is not None:  # the user's own inputs (a drawn digit)
            if c.pixels.shape[1] != exp.net.n_inputs or max(c.labels) >= max(2, exp.net.n_outputs):
                raise NNVizError(N_("this network reads {inputs} inputs into {outputs} outputs; the "
                                    "drawing has {pixels} pixels"), inputs=exp.net.n_inputs,
                                 outputs=exp.net.n_outputs, pixels=c.pixels.shape[1])
            x = exp.data.inputs(c.pixels, dtype=exp.net.dtype)
            t = target_values(exp, np.array(c.labels))
        else:
            n = len(exp.data.x_train)
            rows = np.array([min(max(i, 0), n - 1) for i in c.indices])
            x = exp.data.inputs(exp.data.x_train[rows], dtype=exp.net.dtype)
            t = target_rows(exp, rows)
        before = copy.deepcopy(exp.net)  # untouched by the step: the gradient check's network
        net, opt = copy.deepcopy(exp.net), copy.deepcopy(exp.optimizer)
        record = record_step(net, x, t, opt if net.can_train() else None)
        record.network = before
        self._traced = (net, opt)
        self.signals.stepTraced.emit(record)

    def _on_apply_traced_step(self, c: cmd.ApplyTracedStep) -> None:
        if getattr(self, "_traced", None) is None:
            raise NNVizError(N_("there is no traced step to apply (take a step in step mode first)"))
        net, opt = self._traced
        self._traced = None
        real = self._exp.net
        real.flat_params[...] = net.flat_params
        for mine, theirs in zip(real.layers, net.layers):
            for k, v in theirs.buffers.items():
                mine.buffers[k][...] = v
        self._exp.optimizer.state, self._exp.optimizer.t = opt.state, opt.t
        self._count_steps(1)  # the applied step is a training step
        self._pin()
        self._emit_snapshot(True, True)

    def _on_record_timeline(self, c: cmd.RecordTimeline) -> None:
        self._timeline = c.timeline
        tr = self._exp.trainer
        if tr is not None and (not len(c.timeline) or c.timeline.at(tr.global_step).step != tr.global_step):
            c.timeline.record(tr, force=True)

    def _on_show_recorded(self, c: cmd.ShowRecorded) -> None:
        from nnviz.app.timeline.moment import recorded_moment

        if self._grid_axes is None and self._grid_size > 0 and self._exp.net.n_inputs == 2:
            self._grid_axes = grid_axes(self._exp.data, self._grid_size, self._exp.net.dtype)
        # the picture at once, the confusion matrix after it (unless a newer request waits)
        for snap in recorded_moment(self, c.timeline, c.step, c.confusion,
                                    lambda: not self._commands.empty() or self._stop.is_set()):
            self._ui_ready.clear()
            self.snapshotReady.emit(snap)


    def _on_start_race(self, c: cmd.StartRace) -> None:
        from nnviz.app.timeline.race import start_race
        start_race(self, c)

    def _on_select_variant(self, c: cmd.SelectVariant) -> None:
        from nnviz.app.timeline.race import select_variant
        select_variant(self, c)


#: Command type → handler (called as ``handler(worker, command)``).
HANDLERS = {
    cmd.Play: CommandHandlers._on_play,
    cmd.Pause: CommandHandlers._on_pause,
    cmd.StepBatch: CommandHandlers._on_step_batch,
    cmd.StepEpoch: CommandHandlers._on_step_epoch,
    cmd.SetParam: CommandHandlers._on_set_param,
    cmd.ApplySettings: CommandHandlers._on_apply_settings,
    cmd.SaveModel: CommandHandlers._on_save_model,
    cmd.SetSpeed: CommandHandlers._on_set_speed,
    cmd.SetSample: CommandHandlers._on_set_sample,
    cmd.ReplaceExperiment: CommandHandlers._on_replace_experiment,
    cmd.TraceStep: CommandHandlers._on_trace_step,
    cmd.ApplyTracedStep: CommandHandlers._on_apply_traced_step,
    cmd.FineTune: CommandHandlers._on_fine_tune,
    cmd.RecordTimeline: CommandHandlers._on_record_timeline,
    cmd.ShowRecorded: CommandHandlers._on_show_recorded,
    cmd.StartRace: CommandHandlers._on_start_race,
    cmd.SelectVariant: CommandHandlers._on_select_variant,
}
