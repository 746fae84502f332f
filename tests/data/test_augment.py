"""Augmentation: seeded, shape- and dtype-preserving, exact for known warps; training hook."""
import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.data.augment import (AugmentOptions, Augmenter, augment_images, augmenter_for,
                                compose, thickness, warp)
from nnviz.data.base import Dataset

NONE = AugmentOptions(rotation=0, scale=0, shear=0, shift=0, thickness=0)


def digits(n=10, seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        r, c = rng.integers(4, 14, 2)
        x[i, r:r + 10, c:c + 3] = 255   # an asymmetric "L"
        x[i, r + 8:r + 10, c:c + 9] = 200
    return x.reshape(n, 784)


def test_seeded_and_fresh_each_call():
    x = digits()
    a = augment_images(x, np.random.default_rng(5), (28, 28))
    b = augment_images(x, np.random.default_rng(5), (28, 28))
    np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(5)
    first, second = augment_images(x, rng, (28, 28)), augment_images(x, rng, (28, 28))
    assert not np.array_equal(first, second) and not np.array_equal(first, x)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_shape_and_dtype_kept(dtype):
    x = digits(5).astype(dtype)
    out = augment_images(x, np.random.default_rng(0), (28, 28))
    assert out.shape == x.shape and out.dtype == x.dtype
    assert out.min() >= 0 and out.max() <= 255


def test_identity_parameters_give_the_input_back():
    x = digits(7)
    np.testing.assert_array_equal(augment_images(x, np.random.default_rng(1), (28, 28), NONE), x)


def test_rotation_by_90_degrees_is_rot90():
    img = digits(3).reshape(3, 28, 28).astype(np.float32)
    m = compose(np.full(3, np.pi / 2), np.ones(3), np.zeros(3), np.zeros((3, 2)))
    np.testing.assert_allclose(warp(img, m), np.rot90(img, axes=(1, 2)), atol=1e-3)


def test_shift_moves_by_whole_pixels_and_fills_with_zeros():
    img = digits(2).reshape(2, 28, 28).astype(np.float32)
    m = compose(np.zeros(2), np.ones(2), np.zeros(2), [[2, -3], [2, -3]])  # 2 down, 3 left
    out = warp(img, m)
    np.testing.assert_allclose(out[:, 2:, :-3], img[:, :-2, 3:], atol=1e-4)
    assert out[:, :2].max() == 0


def test_half_pixel_shift_is_bilinear():
    img = np.zeros((1, 5, 5), np.float32)
    img[0, 2, 2] = 100
    out = warp(img, compose([0.0], [1.0], [0.0], [[0.0, 0.5]]))
    assert out[0, 2, 2] == pytest.approx(50) and out[0, 2, 3] == pytest.approx(50)


def test_scale_two_doubles_the_size():
    img = np.zeros((1, 28, 28), np.float32)
    img[0, 11:17, 11:17] = 255  # 6×6 block around the centre 13.5
    out = warp(img, compose([0.0], [2.0], [0.0], [[0.0, 0.0]]))
    assert np.count_nonzero(out[0] > 127) == 144  # 12 × 12


def test_thickness_grows_and_shrinks_strokes():
    img = np.zeros((1, 9, 9), np.float32)
    img[0, 2:7, 4] = 255  # a 1-px vertical line of 5 px
    thick = thickness(img, [1.0])
    assert np.count_nonzero(thick) == 5 * 3 + 2  # cross dilation: 3 wide plus the two tips
    half = thickness(img, [0.5])
    assert half[0, 4, 3] == pytest.approx(127.5) and half[0, 4, 4] == 255
    thin = thickness(np.pad(np.full((1, 3, 3), 255.0, np.float32), ((0, 0), (3, 3), (3, 3))), [-1.0])
    assert np.count_nonzero(thin) == 1  # a 3×3 block eroded by a cross: its centre remains


def test_options_are_checked():
    with pytest.raises(NNVizError, match="unknown augmentation option"):
        Augmenter((28, 28), {"twist": 3})
    with pytest.raises(NNVizError):
        AugmentOptions.from_dict({"scale": 1.5})
    flat = Dataset("xy", np.zeros((4, 2)), np.zeros(4), np.zeros((4, 2)), np.zeros(4), n_classes=2)
    with pytest.raises(NNVizError, match="not an image dataset"):
        augmenter_for(flat)


def _image_data(n=120):
    rng = np.random.default_rng(3)
    x = digits(n, seed=1)
    y = rng.integers(0, 10, n)
    return Dataset("tiny-digits", x, y, x[:40], y[:40], n_classes=10, scaling="unit",
                   image_shape=(28, 28))


def _train(augment: bool | None, epochs=2):
    from nnviz.experiment import Settings, build

    s = Settings(dataset="tiny-digits", hidden=[16], activation="relu", output_activation="softmax",
                 loss="cross_entropy", init="he_normal", optimizer="adam", lr=1e-3, batch_size=32,
                 epochs=epochs, dtype="float32", seed=4)
    if augment is not None:
        s = s.replace(augment=augment)
    exp = build(s, data=_image_data())
    res = [exp.trainer.run_epoch() for _ in range(epochs)]
    return exp.net.flat_params.copy(), [r.train_loss for r in res]


def test_training_without_augmentation_is_unchanged():
    from nnviz.core.network import build_mlp
    from nnviz.core.optim import get_optimizer
    from nnviz.core.training import Trainer

    p_default, loss_default = _train(None)
    p_off, loss_off = _train(False)
    np.testing.assert_array_equal(p_default, p_off)
    assert loss_default == loss_off
    # and the same as a Trainer built without the new argument at all
    data = _image_data()
    net = build_mlp([784, 16, 10], activation="relu", output_activation="softmax",
                    loss="cross_entropy", init="he_normal", dtype="float32", seed=4)
    tr = Trainer(net, data, get_optimizer("adam", lr=1e-3), batch_size=32, seed=4)
    for _ in range(2):
        tr.run_epoch()
    np.testing.assert_array_equal(net.flat_params, p_off)


def test_training_with_augmentation_is_seeded_and_differs():
    p1, l1 = _train(True)
    p2, l2 = _train(True)
    p0, _ = _train(False)
    np.testing.assert_array_equal(p1, p2)
    assert l1 == l2 and not np.array_equal(p1, p0)


def test_trainer_applies_the_transform_to_raw_batches_only():
    from nnviz.core.network import build_mlp
    from nnviz.core.optim import get_optimizer
    from nnviz.core.training import Trainer

    seen = []

    def transform(x, rng):
        seen.append((x.dtype, x.shape))
        return x

    data = _image_data(64)
    net = build_mlp([784, 10], output_activation="softmax", loss="cross_entropy", dtype="float32")
    tr = Trainer(net, data, get_optimizer("sgd", lr=0.1), batch_size=16, transform=transform)
    tr.run_epoch()
    assert seen == [(np.dtype(np.uint8), (16, 784))] * 4  # 4 batches, raw uint8, before scaling


def test_cli_augment_flag_and_saved_metadata(tmp_path, capsys):
    from nnviz.cli import main
    from nnviz.core.model_io import load_model

    code = main(["train", "--preset", "xor", "--epochs", "1", "--augment"])
    assert code == 2 and "not an image dataset" in capsys.readouterr().err
    out = tmp_path / "g.npz"
    assert main(["train", "--preset", "gender", "--epochs", "3", "--save", str(out)]) == 0
    _, extra = load_model(out)
    assert extra["command"] == f"nnviz train --preset gender --epochs 3 --save {out}"
    assert extra["settings"]["augment"] is False
    assert "test_acc" in extra and 0 <= extra["test_acc"] <= 1
