"""MNIST-style preprocessing on hand-made pictures: box, aspect, centre of mass, anti-aliasing."""
import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.data.base import Dataset
from nnviz.data.preprocess import (CENTRE, NoInkError, bounding_box, centre_of_mass, ink_image,
                                   preprocess, resize_area, scale_inputs, to_mnist)


def rect(h=200, w=200, top=30, bottom=150, left=60, right=90, value=255.0):
    img = np.zeros((h, w))
    img[top:bottom, left:right] = value
    return img


def test_tall_bar_longer_side_20_aspect_kept_and_centred():
    # 120 × 30 ink (4:1) → 20 × 5 px, centre of mass moved to MNIST's (14, 14)
    out = to_mnist(rect())
    top, bottom, left, right = bounding_box(out)
    assert (bottom - top, right - left) == (20, 5)
    r, c = centre_of_mass(out)
    assert abs(r - CENTRE[0]) <= 0.5 and abs(c - CENTRE[1]) <= 0.5
    assert out.max() == pytest.approx(255.0)  # a solid block stays full ink


def test_wide_shape_and_off_centre_ink():
    img = rect(h=300, w=240, top=250, bottom=280, left=0, right=90)  # 30 × 90, bottom-left corner
    out = to_mnist(img)
    top, bottom, left, right = bounding_box(out)
    assert (bottom - top, right - left) == (7, 20)  # 20 · 30/90 = 6.67 → 7 rows
    r, c = centre_of_mass(out)
    assert abs(r - 14) <= 0.5 and abs(c - 14) <= 0.5


def test_area_averaging_not_nearest_neighbour():
    # a one-pixel-wide line in a 100-px box, 5× down: area averaging keeps 1/5 of its ink in
    # one column (nearest neighbour would keep all of it, or none)
    img = np.zeros((100, 100))
    img[:, 52] = 255
    small = resize_area(img, 20, 20)
    assert small.sum() == pytest.approx(img.sum() / 25)
    assert small[:, 10] == pytest.approx(np.full(20, 51.0))
    assert np.count_nonzero(small) == 20


def test_resize_area_upsamples_blocks_and_averages_halves():
    img = np.array([[0.0, 100.0]])
    assert resize_area(img, 1, 4).tolist() == [[0.0, 0.0, 100.0, 100.0]]
    assert resize_area(np.array([[0.0, 100.0, 50.0]]), 1, 1)[0, 0] == pytest.approx(50.0)


def test_mnist_digits_are_fixed_points(mnist_test_images):
    for img in mnist_test_images[:200]:
        np.testing.assert_array_equal(to_mnist(img), img)


@pytest.fixture
def mnist_test_images(real_data_dir):
    from nnviz.data import load_dataset
    return load_dataset("mnist").x_test.reshape(-1, 28, 28).astype(np.float32)


def test_steps_switch_off():
    small = rect(h=280, w=280, top=20, bottom=48, left=200, right=214)  # a small mark top right
    on = to_mnist(small)
    no_resize = to_mnist(small, resize=False)  # reduced 10×: 28 × 14 → 3 × 1 (rounded 1.4)
    t, b, l, r = bounding_box(no_resize)
    assert (b - t, r - l) == (3, 1)
    assert abs(centre_of_mass(no_resize)[0] - 14) <= 0.5       # still centred
    no_centre = to_mnist(small, centre=False)  # 20 px tall, but stays at the top right
    t, b, l, r = bounding_box(no_centre)
    assert b - t == 20 and t == 0 and l >= 14
    # the whole canvas is the box (280 → 20 px, placed at 4..24): the mark is tiny, in place
    no_crop = to_mnist(small, crop=False, centre=False)
    assert bounding_box(no_crop) == (5, 8, 18, 20)  # rows 20..48 / 14 + 4, cols 200..214 / 14 + 4
    assert bounding_box(on)[1] - bounding_box(on)[0] == 20


def test_shift_is_clipped_inside_the_field():
    # ink mass all at the bottom of a tall box: centring would push the box out; it stays in
    img = np.zeros((100, 100))
    img[0:100, 50] = 1.0
    img[95:100, 30:70] = 255.0
    out = to_mnist(img)
    t, b, _, _ = bounding_box(out)
    assert t == 0 and b == 20 and out.sum() == pytest.approx(resize_area(img, 20, 20).sum(), rel=1e-5)


def test_empty_picture_is_a_clear_error():
    for blank in (np.zeros((50, 50)), np.full((50, 50), 255.0)):
        with pytest.raises(NoInkError, match="no ink"):
            preprocess(blank, polarity=True)
    with pytest.raises(NoInkError):
        to_mnist(np.zeros((28, 28)))
    assert issubclass(NoInkError, NNVizError)


def test_polarity_from_the_border():
    dark_on_light = 255.0 - rect(value=200.0)
    light_on_dark = rect(value=200.0)
    a, b = ink_image(dark_on_light), ink_image(light_on_dark)
    np.testing.assert_allclose(a, b)
    assert a.max() == pytest.approx(255.0) and a[0, 0] == 0  # stretched to full contrast
    grey_paper = np.full((60, 60), 180.0)
    grey_paper[10:40, 20:25] = 20.0
    assert bounding_box(ink_image(grey_paper)) == (10, 40, 20, 25)


@pytest.mark.parametrize("scaling", ["unit", "seed", "none"])
def test_input_scaling_matches_the_dataset(scaling):
    x = np.array([[0.0, 127.5, 255.0]])
    ds = Dataset("t", np.zeros((1, 3)), np.zeros(1), np.zeros((1, 3)), np.zeros(1), scaling=scaling)
    np.testing.assert_allclose(scale_inputs(x, scaling), ds.inputs(x))
    if scaling == "seed":
        np.testing.assert_allclose(scale_inputs(x, scaling)[0], [0.01, 0.505, 1.0], rtol=1e-6)


def test_preprocess_gives_one_input_row():
    x = preprocess(rect())
    assert x.shape == (1, 784) and x.dtype == np.float32
    assert x.max() == pytest.approx(1.0) and x.min() == 0.0
