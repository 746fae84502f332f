"""Display names and tooltips of everything the interface names by an id.

The ids (``sse_half``, ``xavier_normal``, ``mnist_seed`` …) stay what settings and model
files save; the window shows :func:`title` and :func:`tip` in the current language. One table,
``NAMES``, keyed by (kind, id); kinds: activation, loss, init, optimizer, schedule, dataset,
preset, lesson. An id missing from the table shows as itself.
"""
from __future__ import annotations

from nnviz.i18n import N_, _

NAMES: dict[tuple[str, str], tuple[str, str]] = {
    # -- activations (nnviz.core.activations.ACTIVATIONS)
    ("activation", "identity"): (N_("identity"), N_("Identity (linear): the output is the weighted sum itself, for "
                                                  "regression outputs. f(z) = z")),
    ("activation", "step"): (N_("step"), N_("Step (the perceptron's threshold): 1 if z > 0, else 0. It has no "
                                           "slope, so it cannot be trained by gradients. f(z) = 1 if z > 0 else 0")),
    ("activation", "sigmoid"): (N_("sigmoid"), N_("Sigmoid (logistic): squashes z into (0, 1), for two-class "
                                                 "outputs. f(z) = 1 / (1 + e^(−z)), f′(z) = f(z)·(1 − f(z))")),
    ("activation", "tanh"): (N_("tanh"), N_("Hyperbolic tangent: squashes z into (−1, 1), centred on zero. "
                                           "f(z) = tanh(z), f′(z) = 1 − f(z)²")),
    ("activation", "relu"): (N_("ReLU"), N_("ReLU (rectified linear unit): keeps positive sums, zeroes negative "
                                           "ones; the usual choice for hidden layers. f(z) = max(0, z)")),
    ("activation", "leaky_relu"): (N_("Leaky ReLU"), N_("Leaky ReLU: like ReLU, but with slope 0.01 for z < 0, so "
                                                       "no neuron stops learning. f(z) = z if z > 0 else 0.01·z")),
    ("activation", "softmax"): (N_("softmax"), N_("Softmax: turns the output layer's sums into probabilities that "
                                                 "are positive and add up to 1 (many classes). "
                                                 "f(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)")),
    # -- losses (nnviz.core.losses.LOSSES)
    ("loss", "mse"): (N_("Mean squared error"), N_("Mean squared error (MSE): the mean of the squared "
                                                   "differences over all outputs. L = mean((y − t)²)")),
    ("loss", "sse_half"): (N_("½·Σ(y − t)²"), N_("Half the sum of squared errors (the seed notes' E), averaged "
                                                 "over the samples: L = ½·Σ(y − t)²")),
    ("loss", "mae"): (N_("Mean absolute error"), N_("Mean absolute error (MAE, L1 loss): the mean of the absolute "
                                                    "differences. L = mean(|y − t|)")),
    ("loss", "huber"): (N_("Huber"), N_("Huber loss (δ = 1): squared near zero, linear far away, so outliers "
                                        "pull less. L = ½d² if |d| < 1 else |d| − ½, d = y − t")),
    ("loss", "smooth_l1"): (N_("Smooth L1"), N_("Smooth L1 loss (β = 1): ½d²/β near zero, |d| − ½β beyond. "
                                                "d = y − t")),
    ("loss", "bce"): (N_("Binary cross-entropy"), N_("Binary cross-entropy, for one sigmoid output per class: "
                                                     "L = −mean(t·log y + (1 − t)·log(1 − y))")),
    ("loss", "cross_entropy"): (N_("Cross-entropy"), N_("Cross-entropy, for a softmax output over classes: "
                                                        "L = −Σₖ tₖ·log yₖ, averaged over the samples")),
    # -- initialisers (nnviz.core.init.INITIALIZERS)
    ("init", "zeros"): (N_("All zeros"), N_("Every weight 0: all neurons of a layer stay identical, the "
                                            "symmetry is never broken. W = 0")),
    ("init", "normal"): (N_("Normal N(0, σ²)"), N_("Normal distribution with a fixed σ (default 1): "
                                                   "W ~ N(0, σ²)")),
    ("init", "uniform"): (N_("Uniform U(−1, 1)"), N_("Uniform distribution between low and high (default −1 "
                                                     "and 1): W ~ U(low, high)")),
    ("init", "xavier_normal"): (N_("Xavier (normal)"), N_("Xavier/Glorot, normal, for sigmoid and tanh: "
                                                          "W ~ N(0, σ²), σ = gain·√(2 / (fan_in + fan_out))")),
    ("init", "xavier_uniform"): (N_("Xavier (uniform)"), N_("Xavier/Glorot, uniform, for sigmoid and tanh: "
                                                            "W ~ U(−a, a), a = gain·√(6 / (fan_in + fan_out))")),
    ("init", "he_normal"): (N_("He (normal)"), N_("He/Kaiming, normal, for ReLU: W ~ N(0, σ²), "
                                                  "σ = √(2 / fan_in)")),
    ("init", "he_uniform"): (N_("He (uniform)"), N_("He/Kaiming, uniform, for ReLU: W ~ U(−b, b), "
                                                    "b = √(6 / fan_in)")),
    ("init", "mnist_seed"): (N_("Seed notes' MNIST"), N_("The seed notes' MNIST network: normal with "
                                                         "σ = 1/√fan_in, W ~ N(0, σ²)")),
    ("init", "torch_default"): (N_("PyTorch default"), N_("PyTorch's nn.Linear default: "
                                                          "W ~ U(−1/√fan_in, 1/√fan_in)")),
    # -- optimizers (nnviz.core.optim.OPTIMIZERS)
    ("optimizer", "sgd"): (N_("SGD"), N_("Plain (stochastic) gradient descent: a step against the gradient. "
                                         "p ← p − η·g")),
    ("optimizer", "momentum"): (N_("Momentum"), N_("SGD with momentum μ (default 0.9): past steps keep "
                                                   "rolling. b ← μ·b + g; p ← p − η·b")),
    ("optimizer", "nesterov"): (N_("Nesterov"), N_("SGD with Nesterov momentum: looks one step ahead. "
                                                   "b ← μ·b + g; p ← p − η·(g + μ·b)")),
    ("optimizer", "adagrad"): (N_("AdaGrad"), N_("AdaGrad: each weight's step shrinks with the sum of its "
                                                 "squared gradients. s ← s + g²; p ← p − η·g / (√s + ε)")),
    ("optimizer", "rmsprop"): (N_("RMSprop"), N_("RMSprop: divides by a running average of squared gradients. "
                                                 "v ← α·v + (1 − α)·g²; p ← p − η·g / (√v + ε)")),
    ("optimizer", "adam"): (N_("Adam"), N_("Adam: momentum plus RMSprop's scaling, with bias correction. "
                                           "m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²; "
                                           "p ← p − η·m̂ / (√v̂ + ε)")),
    # -- learning-rate schedules (nnviz.core.schedules.SCHEDULES)
    ("schedule", "constant"): (N_("Constant"), N_("Keep the learning rate the same in every epoch: η = η₀")),
    ("schedule", "step"): (N_("Step decay"), N_("Multiply the learning rate by γ every step_size epochs: "
                                                "η = η₀·γ^⌊e / step_size⌋")),
    ("schedule", "multistep"): (N_("Multi-step decay"), N_("Multiply the learning rate by γ at each milestone "
                                                           "epoch (e.g. 50, 100, 160): η = η₀·γ^(milestones ≤ e)")),
    ("schedule", "exponential"): (N_("Exponential decay"), N_("Multiply the learning rate by γ every epoch: "
                                                              "η = η₀·γ^e")),
    # -- datasets (nnviz.data.catalog.DESCRIPTIONS)
    ("dataset", "circle"): (N_("Circle"), N_("2-D: a disc of one class inside a ring of the other")),
    ("dataset", "xor"): (N_("XOR quadrants"), N_("2-D: four quadrants, the class is the XOR of the signs of "
                                                 "x₁ and x₂")),
    ("dataset", "gauss"): (N_("Two Gaussians"), N_("2-D: two Gaussian clouds, separable by a straight line")),
    ("dataset", "spiral"): (N_("Spiral"), N_("2-D: two interleaved spiral arms, the hard one")),
    ("dataset", "spiral-k"): (N_("K spirals"), N_("2-D: K spiral arms, one class each (3 by default)")),
    ("dataset", "blobs"): (N_("Blobs"), N_("2-D: K Gaussian blobs, one class each (4 by default)")),
    ("dataset", "reg-plane"): (N_("Plane (regression)"), N_("2-D regression: a tilted plane, "
                                                            "target (x₁ + x₂) / 10")),
    ("dataset", "reg-gauss"): (N_("Gaussian bumps (regression)"), N_("2-D regression: six Gaussian bumps "
                                                                     "of +1 and −1")),
    ("dataset", "gate-and"): (N_("AND gate"), N_("Logic gate AND: 4 rows, 2 inputs, separable by one line")),
    ("dataset", "gate-or"): (N_("OR gate"), N_("Logic gate OR: 4 rows, 2 inputs, separable by one line")),
    ("dataset", "gate-nand"): (N_("NAND gate"), N_("Logic gate NAND: 4 rows, 2 inputs, separable by one line")),
    ("dataset", "gate-xor"): (N_("XOR gate"), N_("Logic gate XOR: 4 rows, 2 inputs; needs a hidden layer")),
    ("dataset", "neuron"): (N_("One sample (the neuron's)"), N_("The single neuron's sample: x = [2, 3], target 1")),
    ("dataset", "network-2-2-1"): (N_("One sample (the 2-2-1 network's)"),
                                   N_("The 2-2-1 network's sample: x = [2, 3], target 1")),
    ("dataset", "torch-5x3"): (N_("Five samples (the 3-3-2-2 model's)"),
                               N_("The PyTorch 3-3-2-2 model's five samples of three features, two classes")),
    ("dataset", "gender"): (N_("Gender (4 people)"), N_("Alice, Bob, Charlie and Diana: weight and height "
                                                        "(centred) → male or female")),
    ("dataset", "mnist"): (N_("MNIST"), N_("MNIST handwritten digits 0–9: 28×28 grey images, 60 000 for "
                                           "training, 10 000 for testing")),
    ("dataset", "fashion-mnist"): (N_("Fashion-MNIST"), N_("Fashion-MNIST: pictures of clothing in 10 classes, "
                                                           "28×28 grey, 60 000 for training, 10 000 for testing")),
    # -- presets (nnviz.presets.PRESETS)
    ("preset", "neuron"): (N_("A single neuron"), N_("One sigmoid neuron: w = [0, 1], b = 4, x = [2, 3]")),
    ("preset", "network-2-2-1"): (N_("2-2-1 network"), N_("A 2-2-1 sigmoid network, every w = [0, 1], b = 0, "
                                                          "x = [2, 3]; mean squared error against 1")),
    ("preset", "gate-and"): (N_("AND perceptron"), N_("AND as one step perceptron: w = (0.5, 0.5), b = −0.7")),
    ("preset", "gate-nand"): (N_("NAND perceptron"), N_("NAND as one step perceptron: w = (−0.5, −0.5), "
                                                        "b = 0.7")),
    ("preset", "gate-or"): (N_("OR perceptron"), N_("OR as one step perceptron: w = (1.0, 1.0), b = −0.5")),
    ("preset", "gate-xor"): (N_("XOR from two layers"), N_("XOR = AND(NAND(x₁, x₂), OR(x₁, x₂)): two layers "
                                                           "of step perceptrons")),
    ("preset", "gender"): (N_("Gender from weight and height"), N_("The seed notes' 4 people (weight, height → "
                                                                   "gender): 2-2-1 sigmoid, mean squared error, "
                                                                   "one sample per step")),
    ("preset", "xor"): (N_("XOR, trained"), N_("XOR learned by a 2-4-1 sigmoid network: full batch, learning "
                                               "rate 0.1, 10 000 epochs")),
    ("preset", "torch-3-3-2-2"): (N_("PyTorch 3-3-2-2 model"), N_("The seed notes' PyTorch model: 3-3-2-2, "
                                                                  "sigmoid/ReLU/softmax, Xavier/He "
                                                                  "initialisation, 12 + 8 + 6 parameters")),
    ("preset", "apple"): (N_("Buying apples (computational graph)"), N_("2 apples at 100 with 10% tax = 220, "
                                                                        "and its gradients")),
    ("preset", "mnist-seed"): (N_("MNIST, seed notes' network"), N_("784-100-10 sigmoid, inputs "
                                                                    "x / 255 × 0.99 + 0.01, targets 0.01/0.99, "
                                                                    "one sample per step, learning rate 0.3")),
    ("preset", "mnist-fast"): (N_("MNIST, fast"), N_("784-256-128-10 ReLU + softmax cross-entropy, He "
                                                     "initialisation, Adam 0.001, batch 64, float32")),
    ("preset", "mnist-canvas"): (N_("MNIST for the digit canvas"), N_("The shipped digit-canvas model: "
                                                                      "784-256-128-10 ReLU + softmax, Adam 0.001 "
                                                                      "decaying ×0.85 an epoch, batch 128, "
                                                                      "20 epochs, augmented images")),
    # -- lessons (resources/lessons/*.json: their titles)
    ("lesson", "neuron"): (N_("A single neuron"), N_("Weights, bias and activation of one neuron, "
                                                     "step by step")),
    ("lesson", "network-2-2-1"): (N_("A 2-2-1 network, forward and backward"), N_(
        "Forward propagation, then backpropagation through a small network")),
    ("lesson", "gates"): (N_("Logic gates as perceptrons, and why XOR needs two layers"), N_(
        "AND, NAND and OR each need one line; XOR needs two layers")),
    ("lesson", "xor"): (N_("XOR learned by a 2-4-1 network"), N_("The seed notes' training loop on the four "
                                                                 "XOR points")),
    ("lesson", "gender"): (N_("Predicting gender from weight and height"), N_("A 2-2-1 network trained on "
                                                                              "four people, watch the loss "
                                                                              "fall")),
    ("lesson", "torch-3-3-2-2"): (N_("The 3-3-2-2 model and its parameters"), N_("Counting the weights and "
                                                                                 "biases of each layer")),
    ("lesson", "apple"): (N_("A computational graph: buying apples"), N_("Forward and backward through a "
                                                                         "computational graph")),
    ("lesson", "mnist"): (N_("Handwritten digits: the seed's 784-100-10 network"), N_(
        "Classifying MNIST digits with one hidden layer of 100 neurons")),
    ("lesson", "linear"): (N_("No non-linearity: many layers, one line"), N_("Without a non-linear activation, "
                                                                             "depth adds nothing")),
    ("lesson", "init"): (N_("Initialisation: symmetry, saturation and vanishing"), N_(
        "Why the starting weights matter, and how Xavier and He choose their scale")),
    ("lesson", "optimizers"): (N_("Optimizers racing on a loss surface"), N_("SGD, Momentum, AdaGrad, RMSprop "
                                                                             "and Adam from the same start")),
    ("lesson", "schedules"): (N_("Learning-rate schedules"), N_("Step, multi-step and exponential decay of "
                                                                "the learning rate")),
    ("lesson", "gradcheck"): (N_("Checking backpropagation"), N_("Backpropagation's gradients compared with "
                                                                 "numerical differences")),
}


def title(kind: str, ident: str) -> str:
    """The display name of ``ident`` in the current language (the id when it has none)."""
    entry = NAMES.get((kind, str(ident)))
    return _(entry[0]) if entry else str(ident)


def tip(kind: str, ident: str) -> str:
    """The tooltip of ``ident`` in the current language (empty when it has none)."""
    entry = NAMES.get((kind, str(ident)))
    return _(entry[1]) if entry and entry[1] else ""


def layer_title(layer: int, n_layers: int) -> str:
    """One name per layer everywhere (diagram, step panels, math panel, ``nnviz step``):
    ``layer`` is the 0-based dense layer (-1: the input), ``n_layers`` the number of dense
    layers. ``input``, ``hidden 1`` … ``hidden L-1``, ``output``."""
    if layer < 0:
        return _("input")
    if layer >= n_layers - 1:
        return _("output")
    return _("hidden {k}").format(k=layer + 1)
