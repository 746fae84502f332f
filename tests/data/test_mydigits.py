"""My digits: add, remove, list, and a safe .npz round trip with clear errors for bad files."""
import numpy as np
import pytest

from nnviz.data.mydigits import MyDigits, MyDigitsError


def digit(value):
    img = np.zeros((28, 28), np.float32)
    img[8:20, 10:18] = value
    return img


def test_add_remove_list():
    mine = MyDigits()
    assert len(mine) == 0 and mine.images.shape == (0, 28, 28)
    assert mine.add(digit(254.6), 3) == 0
    mine.add(digit(100).reshape(784), 7)
    mine.add(digit(300), 3)          # clipped to 255
    assert mine.labels.tolist() == [3, 7, 3]
    assert mine.images.dtype == np.uint8 and mine.images[0, 10, 12] == 255
    assert mine.images[2].max() == 255
    assert mine.counts().tolist() == [0, 0, 0, 2, 0, 0, 0, 1, 0, 0]
    mine.remove(1)
    assert mine.labels.tolist() == [3, 3]
    img, label = mine.items()[0]
    img[:] = 0  # a copy: the set is unchanged
    assert mine.images[0].max() == 255 and label == 3
    with pytest.raises(MyDigitsError, match="no digit 5"):
        mine.remove(5)
    with pytest.raises(MyDigitsError, match="0–9"):
        mine.add(digit(1), 10)
    with pytest.raises(MyDigitsError, match="28×28"):
        mine.add(np.zeros((20, 20)), 1)
    mine.clear()
    assert len(mine) == 0


def test_save_load_round_trip(tmp_path):
    mine = MyDigits()
    for k in range(4):
        mine.add(digit(60 * k + 10), k)
    path = mine.save(tmp_path / "mine.npz")
    back = MyDigits.load(path)
    np.testing.assert_array_equal(back.images, mine.images)
    assert back.labels.tolist() == [0, 1, 2, 3]
    assert [p.name for p in tmp_path.iterdir()] == ["mine.npz"]  # no temporary file left
    with np.load(path, allow_pickle=False) as z:
        assert sorted(z.files) == ["images", "labels"] and z["labels"].dtype == np.uint8


def test_bad_files_get_one_clear_line(tmp_path):
    with pytest.raises(MyDigitsError, match="no such file"):
        MyDigits.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(MyDigitsError, match="not a my-digits file"):
        MyDigits.load(junk)
    other = tmp_path / "other.npz"
    np.savez(other, x=np.zeros(3))
    with pytest.raises(MyDigitsError, match="no images, labels"):
        MyDigits.load(other)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, images=np.zeros((1, 28, 28), np.uint8), labels=np.array([object()], dtype=object))
    with pytest.raises(MyDigitsError, match="pickled"):
        MyDigits.load(pickled)
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, images=np.zeros((2, 28, 28), np.float32), labels=np.array([1, 2]))
    with pytest.raises(MyDigitsError, match="uint8"):
        MyDigits.load(wrong)
    labels = tmp_path / "labels.npz"
    np.savez(labels, images=np.zeros((2, 28, 28), np.uint8), labels=np.array([1, 12]))
    with pytest.raises(MyDigitsError, match="0–9"):
        MyDigits.load(labels)
    with pytest.raises(MyDigitsError, match="does not exist"):
        MyDigits().save(tmp_path / "no" / "such" / "dir.npz")
