"""The network: a list of layers run forward, then in reverse for backward.

All parameters live in one flat vector (``flat_params``) and all gradients in another
(``flat_grads``); each layer's ``params``/``grads`` are views into them, so one optimizer
step updates everything at once. ``train_step`` is the single place a training step
happens, with or without a :class:`~nnviz.core.trace.Trace` recording it.
"""
from __future__ import annotations

import copy
import math

import numpy as np

from nnviz.core.activations import Softmax
from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, Diverged, NNVizError, ShapeError, shown, TrainingRefused
from nnviz.core.inspect import Inspection, inspect
from nnviz.core.layers import WEIGHT_LAYOUT, Dense
from nnviz.core.losses import CrossEntropy, Loss, get_loss
from nnviz.core.optim import Optimizer, public_state
from nnviz.core.trace import Trace

DTYPES = {"float64": np.float64, "float32": np.float32}


class Network(CompactState):
    """Layers plus a loss.

    Parameters
    ----------
    layers : list of Dense
        Run in order; ``layers[i]``'s output feeds ``layers[i+1]``. Every layer is a
        :class:`Dense` (batch-norm and dropout are its options), so ``i`` is the one layer
        index used everywhere: the trace, snapshots, :meth:`set_param`, the window.
    loss : str or Loss
        Loss of the last layer's output against the targets.
    dtype : str
        ``"float64"`` (exact, for lessons) or ``"float32"`` (fast).
    """

    weight_layout = WEIGHT_LAYOUT

    def __init__(self, layers: list[Dense], loss="mse", reduction: str = "mean", dtype: str = "float64"):
        if not layers:
            raise NNVizError(N_("a network needs at least one layer"))
        if dtype not in DTYPES:
            raise NNVizError(N_("unknown dtype {dtype}; valid: {dtypes}"), dtype=shown(dtype), dtypes=', '.join(DTYPES))
        for i, layer in enumerate(layers):
            if not isinstance(layer, Dense):
                raise NNVizError(N_("layer {i} is a stand-alone {layer} layer; batch-norm and dropout are options of a dense layer (Dense(..., batchnorm=True, dropout=p))"), i=i, layer=getattr(layer, 'kind', type(layer).__name__))
        self.layers = list(layers)
        self.loss: Loss = get_loss(loss, reduction)
        self.dtype_name = dtype
        self.dtype = DTYPES[dtype]
        for i, (a, b) in enumerate(zip(self.layers, self.layers[1:])):
            if a.n_out != b.n_in:
                raise ShapeError(N_("layer {i} outputs {n_out} values but layer {next} expects {n_in}"), i=i, n_out=a.n_out, next=i + 1, n_in=b.n_in)
        for i, layer in enumerate(self.layers):
            if not layer.name:
                layer.name = f"layer{i}"
        self._flatten()

    # -- parameters ----------------------------------------------------------------------
    def _flatten(self) -> None:
        """Move every parameter and gradient into one flat buffer each, layers keep views."""
        self.param_index: list[tuple[int, str, slice, tuple]] = []
        total = 0
        for li, layer in enumerate(self.layers):
            for name, arr in layer.params.items():
                self.param_index.append((li, name, slice(total, total + arr.size), arr.shape))
                total += arr.size
        self.flat_params = np.empty(total, dtype=self.dtype)
        self.flat_grads = np.zeros(total, dtype=self.dtype)
        for li, name, sl, shape in self.param_index:
            layer = self.layers[li]
            self.flat_params[sl] = layer.params[name].ravel()
            layer.params[name] = self.flat_params[sl].reshape(shape)
            layer.grads[name] = self.flat_grads[sl].reshape(shape)
        for layer in self.layers:
            for k, v in layer.buffers.items():
                layer.buffers[k] = v.astype(self.dtype)
            layer._sync_norm()

    def _link_views(self) -> None:
        """Make every layer's params/grads views of the flat buffers again."""
        for li, name, sl, shape in self.param_index:
            layer = self.layers[li]
            layer.params[name] = self.flat_params[sl].reshape(shape)
            layer.grads[name] = self.flat_grads[sl].reshape(shape)
        for layer in self.layers:
            layer._sync_norm()

    def __deepcopy__(self, memo) -> "Network":
        # NumPy copies a view as a new array; without re-linking, the copy's optimizer step
        # (on flat_params) and its layers (on their own arrays) would silently drift apart.
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            setattr(new, k, copy.deepcopy(v, memo))
        new._link_views()
        return new

    def __setstate__(self, state: dict) -> None:
        # Unpickled (the training child process gets its network this way), the same holds.
        super().__setstate__(state)
        self._link_views()

    @property
    def n_params(self) -> int:
        return int(self.flat_params.size)

    def param_counts(self) -> list[int]:
        """Number of trainable parameters per layer (e.g. 12, 8, 6 for the 3-3-2-2 model)."""
        counts = [0] * len(self.layers)
        for li, _, sl, _ in self.param_index:
            counts[li] += sl.stop - sl.start
        return counts

    def named_parameters(self):
        """``(name, array)`` for every parameter, e.g. ``("layer0.W", W)``."""
        for li, name, _, _ in self.param_index:
            layer = self.layers[li]
            yield f"{getattr(layer, 'name', '') or f'layer{li}'}.{name}", layer.params[name]

    def split(self, flat: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Per-layer ``{name: view}`` of a flat vector laid out like ``flat_params``."""
        out: list[dict[str, np.ndarray]] = [{} for _ in self.layers]
        for li, name, sl, shape in self.param_index:
            out[li][name] = flat[sl].reshape(shape)
        return out

    def set_param(self, layer: int, name: str, value, index=None) -> None:
        """Set a parameter (or one entry of it) by hand, e.g. from the UI."""
        arr = self.layers[layer].params[name]
        if index is None:
            value = np.asarray(value, dtype=self.dtype)
            if value.shape != arr.shape:
                raise ShapeError(N_("layer {layer} {name}: expected shape {expected}, got {shape}"), layer=layer, name=name, expected=arr.shape, shape=value.shape)
            arr[...] = value
        else:
            arr[index] = value

    def can_train(self) -> bool:
        return all(l.activation.can_train for l in self.layers)

    def dense_layers(self) -> list[Dense]:
        """The layers (all dense): kept as the name callers read best."""
        return list(self.layers)

    @property
    def n_inputs(self) -> int:
        return self.layers[0].n_in

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].n_out

    @property
    def sizes(self) -> list[int]:
        d = self.dense_layers()
        return [d[0].n_in] + [l.n_out for l in d]

    def fused_output(self) -> bool:
        """True when softmax and cross-entropy are taken together: ``δ = y − t`` at the logits."""
        last = self.layers[-1]
        return (isinstance(last.activation, Softmax) and isinstance(self.loss, CrossEntropy)
                and last.drop is None)

    def inspect(self, x, t=None) -> Inspection:
        """z and a of every layer for ``x`` (and with targets ``t``: δ, dW, db), in evaluation
        mode, without changing anything in the network (see :mod:`nnviz.core.inspect`)."""
        return inspect(self, x, t)

    # -- passes --------------------------------------------------------------------------
    def as_input(self, x) -> np.ndarray:
        """``x`` as a (n_samples, n_inputs) array of the network's dtype (one sample → one row)."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.n_inputs:
            raise ShapeError(N_("layer 0 ({name}): expects inputs with {n_inputs} features, got shape {shape}"), name=self.layers[0].name, n_inputs=self.n_inputs, shape=tuple(np.shape(x)))
        return x

    def forward(self, x, train: bool = False, trace: Trace | None = None, step: int = 0) -> np.ndarray:
        """Run all layers; ``x`` is (n_samples, n_inputs) or one sample (n_inputs,)."""
        a = self.as_input(x)
        with np.errstate(over="ignore", under="ignore"):
            return self._run_layers(a, train, trace, step)

    def _run_layers(self, a, train, trace, step) -> np.ndarray:
        for i, layer in enumerate(self.layers):
            a = layer.forward(a, train)
            if trace is not None:
                trace.add(step, "forward", i, **layer.forward_record())
        return a

    def loss_value(self, y: np.ndarray, t: np.ndarray) -> float:
        """The loss of outputs ``y`` (from :meth:`forward`) against targets ``t``."""
        t = np.asarray(t, dtype=self.dtype)
        if self.fused_output():
            return self.loss.forward_logits(self.layers[-1].z, t)
        return self.loss.forward(y, t)

    def backward(self, y: np.ndarray, t: np.ndarray, trace: Trace | None = None, step: int = 0) -> None:
        """Fill every layer's ``grads`` (and ``delta``) for the last forward pass."""
        self._backward(y, t, trace, step, self.fused_output())

    def _backward(self, y, t, trace, step, fused) -> None:
        if not self.can_train():
            bad = [l.name for l in self.dense_layers() if not l.activation.can_train]
            raise TrainingRefused(N_("cannot train: {bad} use(s) the step activation, which has no gradient (use sigmoid to train)"), bad=', '.join(bad))
        n = len(self.layers)
        if fused:
            last = self.layers[-1]
            dout = last.backward_delta(self.loss.delta_logits(y, t), need_dx=n > 1)
            if trace is not None:
                self._trace_backward(trace, step, n - 1)
            start = n - 2
        else:
            dout, start = self.loss.backward(y, t), n - 1
        for i in range(start, -1, -1):
            dout = self.layers[i].backward(dout, need_dx=i > 0)
            if trace is not None:
                self._trace_backward(trace, step, i)

    def _trace_backward(self, trace, step, i):
        layer = self.layers[i]
        trace.add(step, "backward", i, dW=layer.grads.get("W"), db=layer.grads.get("b"), delta=layer.delta,
                  **{f"d{k}": v for k, v in layer.grads.items() if k not in ("W", "b")})

    def train_step(self, x, t, optimizer: Optimizer, trace: Trace | None = None,
                   step: int = 0, epoch: int = 0) -> float:
        """Forward, loss, backward and one optimizer update on the batch ``(x, t)``.

        Raises :class:`Diverged` *before* updating when the loss or the gradients are not
        finite, so the weights stay the last good ones. (Overflow on the way there is
        expected then, so NumPy's floating-point warnings are silenced; finiteness is checked.)
        """
        with np.errstate(all="ignore"):
            return self._train_step(x, t, optimizer, trace, step, epoch)

    def _train_step(self, x, t, optimizer, trace, step, epoch) -> float:
        x = self.as_input(x)
        if type(t) is not np.ndarray or t.dtype != self.dtype:
            t = np.asarray(t, dtype=self.dtype)
        if t.ndim == 1:
            t = t.reshape(len(x), -1)
        if t.shape != (len(x), self.layers[-1].n_out):
            raise ShapeError(N_("targets must have shape ({n}, {n_outputs}) to match the last layer ({name}), got {shape}"), n=len(x), n_outputs=self.n_outputs, name=self.layers[-1].name, shape=tuple(t.shape))
        y = self._run_layers(x, True, trace, step)  # (train_step silenced the warnings)
        fused = self.fused_output()
        loss = self.loss.forward_logits(self.layers[-1].z, t) if fused else self.loss.forward(y, t)
        if trace is not None:
            grad = (self.loss.delta_logits(y, t) if fused else self.loss.backward(y, t))
            trace.add(step, "loss", len(self.layers) - 1, value=loss, grad=grad,
                      grad_of="z" if fused else "a")
        if not math.isfinite(loss):
            raise Diverged(epoch, step, loss)
        self._backward(y, t, trace, step, fused)
        if not math.isfinite(float(np.add.reduce(self.flat_grads))):  # NaN/inf anywhere → NaN/inf
            raise Diverged(epoch, step, loss)
        optimizer.step(self.flat_params, self.flat_grads)
        if trace is not None:
            states = self.split_state(optimizer)
            for i, layer in enumerate(self.layers):
                trace.add(step, "update", i, **layer.params, state=states[i], lr=optimizer.lr)
        return loss

    def split_state(self, optimizer: Optimizer) -> list[dict[str, np.ndarray]]:
        """The optimizer's state per layer: ``[{"exp_avg.W": ..., ...}, ...]`` (views)."""
        out: list[dict[str, np.ndarray]] = [{} for _ in self.layers]
        for key, flat in public_state(optimizer).items():
            if flat.shape != self.flat_params.shape:
                continue
            for li, parts in enumerate(self.split(flat)):
                for name, arr in parts.items():
                    out[li][f"{key}.{name}"] = arr
        return out

    def trace_forward(self, x) -> Trace:
        """A trace of one forward pass only (for presets that cannot train)."""
        tr = Trace()
        self.forward(x, train=False, trace=tr)
        return tr

    def trace_steps(self, x, t, optimizer: Optimizer, steps: int = 1) -> Trace:
        """A trace of ``steps`` training steps on the same batch."""
        tr = Trace()
        for s in range(steps):
            self.train_step(x, t, optimizer, trace=tr, step=s)
        return tr

    # -- description ---------------------------------------------------------------------
    def config(self) -> dict:
        return {"weight_layout": self.weight_layout, "dtype": self.dtype_name,
                "loss": self.loss.name, "reduction": self.loss.reduction,
                "layers": [l.config() for l in self.layers]}

    def astype(self, dtype: str) -> "Network":
        """Switch float precision in place (float64 for lessons, float32 for speed)."""
        if dtype not in DTYPES:
            raise NNVizError(N_("unknown dtype {dtype}; valid: {dtypes}"), dtype=shown(dtype), dtypes=', '.join(DTYPES))
        self.dtype_name, self.dtype = dtype, DTYPES[dtype]
        self._flatten()
        return self

    def __str__(self):
        lines = [str(l) for l in self.layers]
        lines.append(f"loss: {self.loss}")
        lines.append(f"parameters: {self.n_params} ({' + '.join(map(str, self.param_counts()))})")
        return "\n".join(lines)


def build_mlp(sizes: list[int], activation="sigmoid", output_activation=None, loss="mse",
              reduction="mean", init="xavier_normal", bias_init="zeros", batchnorm=False,
              dropout: float = 0.0, dtype="float64", seed: int | None = 0,
              activations: list[str] | None = None, inits: list | None = None,
              bias_inits: list | None = None) -> Network:
    """A fully connected network of ``sizes`` (e.g. ``[784, 100, 10]``).

    Hidden layers use ``activation`` (or ``activations[i]`` per layer) and may have batch-norm
    and dropout; the last layer uses ``output_activation`` (default: same as hidden) and never
    gets dropout or batch-norm. ``inits``/``bias_inits`` give one initialiser per layer.
    """
    if len(sizes) < 2:
        raise ShapeError(N_("a network needs at least an input and an output size, got {sizes}"), sizes=sizes)
    if any(int(s) < 1 for s in sizes):
        raise ShapeError(N_("every layer size must be at least 1, got {sizes}"), sizes=sizes)
    rng = np.random.default_rng(seed)
    n_layers = len(sizes) - 1
    acts = list(activations) if activations else [activation] * (n_layers - 1) + [output_activation or activation]
    if len(acts) != n_layers:
        raise ShapeError(N_("{n_layers} layers need {n_layers} activations, got {acts}"), n_layers=n_layers, acts=len(acts))
    inits = list(inits) if inits else [init] * n_layers
    bias_inits = list(bias_inits) if bias_inits else [bias_init] * n_layers
    if len(inits) != n_layers or len(bias_inits) != n_layers:
        raise ShapeError(N_("{n_layers} layers need {n_layers} initialisers"), n_layers=n_layers)
    layers = []
    for i in range(n_layers):
        last = i == n_layers - 1
        layers.append(Dense(sizes[i], sizes[i + 1], activation=acts[i], init=inits[i], bias_init=bias_inits[i],
                            batchnorm=batchnorm and not last, dropout=0.0 if last else dropout,
                            rng=rng, name=f"layer{i}"))
    return Network(layers, loss=loss, reduction=reduction, dtype=dtype)
