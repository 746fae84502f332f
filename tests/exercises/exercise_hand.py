"""An independent little MLP in plain NumPy for the exercise tests: forward, loss and central
finite differences with respect to any z, a, W or b (nothing from nnviz's trace or backprop)."""
import copy

import numpy as np

H = 1e-6


def act(name, z):
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if name == "identity":
        return z
    raise ValueError(name)


def loss(name, y, t):
    if name == "mse":
        return float(np.mean((y - t) ** 2))
    if name == "cross_entropy":
        return float(-np.sum(t * np.log(y)) / len(y))
    raise ValueError(name)


class Hand:
    """W[l] (in_out), b[l], acts[l], loss name; x, t the batch."""

    def __init__(self, Ws, bs, acts, loss_name, x, t):
        self.W = [np.array(w, dtype=float) for w in Ws]
        self.b = [np.array(v, dtype=float) for v in bs]
        self.acts, self.loss_name = list(acts), loss_name
        self.x, self.t = np.array(x, dtype=float), np.array(t, dtype=float)

    def run(self, poke=None):
        """``(zs, as, L)``; ``poke = (kind, layer, index, eps)`` adds eps to one z or a on the way."""
        a, zs, As = self.x, [], []
        for l, (W, b, f) in enumerate(zip(self.W, self.b, self.acts)):
            z = a @ W + b
            if poke and poke[0] == "z" and poke[1] == l:
                z = z.copy(); z[poke[2]] += poke[3]
            a = act(f, z)
            if poke and poke[0] == "a" and poke[1] == l:
                a = a.copy(); a[poke[2]] += poke[3]
            zs.append(z); As.append(a)
        return zs, As, loss(self.loss_name, a, self.t)

    def d_value(self, kind, l, index):
        """∂L/∂(z or a) of layer l at index (sample, neuron), by central differences."""
        return (self.run((kind, l, index, H))[2] - self.run((kind, l, index, -H))[2]) / (2 * H)

    def d_param(self, name, l, index):
        """∂L/∂W[l][index] or ∂L/∂b[l][index], by central differences."""
        other = copy.deepcopy(self)
        p = (other.W if name == "W" else other.b)[l]
        old = p[index]
        p[index] = old + H
        up = other.run()[2]
        p[index] = old - H
        down = other.run()[2]
        return (up - down) / (2 * H)

    def grads(self):
        """Every parameter's gradient: ``[(dW, db)]`` per layer."""
        out = []
        for l in range(len(self.W)):
            dW = np.zeros_like(self.W[l]); db = np.zeros_like(self.b[l])
            for idx in np.ndindex(dW.shape):
                dW[idx] = self.d_param("W", l, idx)
            for idx in np.ndindex(db.shape):
                db[idx] = self.d_param("b", l, idx)
            out.append((dW, db))
        return out


def hand_for(preset, optimizer=None, steps_before=0, lr=None):
    """The preset's network as a :class:`Hand` (weights before the recorded step), the
    experiment and the record of one more step (after ``steps_before`` plain train steps)."""
    from nnviz.experiment import build
    from nnviz.lessons.record import record_step
    from nnviz.lessons.stepping import preset_settings, sample_batch
    from nnviz.presets import preset_data

    p, s = preset_settings(preset, optimizer, lr)
    exp = build(s, data=preset_data(p, s))
    x, t = sample_batch(exp, None, all_samples=p.trace_all)
    history = []
    for _ in range(steps_before):
        history.append([(l.params["W"].copy(), l.params["b"].copy()) for l in exp.net.dense_layers()])
        exp.net.train_step(x, t, exp.optimizer)
    layers = exp.net.dense_layers()
    hand = Hand([l.params["W"].copy() for l in layers], [l.params["b"].copy() for l in layers],
                [l.activation.name for l in layers], exp.net.loss.name, x, t)
    rec = record_step(exp.net, x, t, exp.optimizer)
    return hand, rec, history, exp
