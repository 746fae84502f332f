"""The catalog (names, paths, options, scaling, info) and where files are looked for."""
from pathlib import Path

import pytest

from nnviz.core.errors import DataError, UnknownNameError
from nnviz.data import dataset_info, download_dataset, list_datasets, load_dataset, locate


def test_list_has_every_named_set():
    names = list_datasets()
    for name in ("circle", "xor", "gauss", "spiral", "spiral-k", "blobs", "reg-plane",
                 "reg-gauss", "gate-and", "gate-or", "gate-nand", "gate-xor", "gender",
                 "mnist", "fashion-mnist"):
        assert names[name]


def test_unknown_name_and_missing_path():
    with pytest.raises(UnknownNameError, match="unknown dataset 'nope'.*mnist"):
        load_dataset("nope")
    with pytest.raises(DataError, match="no such file"):
        load_dataset("missing/data.csv")


def test_unknown_option_and_bad_scaling():
    with pytest.raises(DataError, match="unknown option 'speed' for circle; valid: n_samples"):
        load_dataset("circle", speed=3)
    with pytest.raises(DataError, match="takes none"):
        load_dataset("gate-xor", noise=3)
    with pytest.raises(DataError, match="use 'none'"):
        load_dataset("circle", scaling="unit")
    with pytest.raises(DataError, match="unknown scaling"):
        load_dataset("circle", scaling="big")


def test_mnist_missing_says_how_to_get_it():
    with pytest.raises(DataError, match="nnviz data download mnist") as err:
        load_dataset("mnist")
    assert "train-images-idx3-ubyte.gz" in str(err.value)
    info = dataset_info("mnist")
    assert info["available"] is False and info["download"] == "nnviz data download mnist"


def test_info_of_builtin_sets():
    info = dataset_info("gender")
    assert info["people"] == ["Alice", "Bob", "Charlie", "Diana"]
    assert info["train_label_counts"] == [2, 2]
    assert dataset_info("circle")["source"] == "generated"


def test_download_refuses_builtin_and_unknown():
    with pytest.raises(DataError, match="built into nnviz"):
        download_dataset("circle")
    with pytest.raises(UnknownNameError):
        download_dataset("cifar")


def test_data_dir_sibling_rule_and_no_mix_up(tmp_path, monkeypatch, fake_known, idxtools):
    root = tmp_path / "shared" / "data"
    idxtools.write_folder(root / "mnist", fake_known["mnist"])
    idxtools.write_folder(root / "fashion-mnist", fake_known["fashion-mnist"])
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(root / "mnist"))
    assert locate.find_dataset("mnist") == (root / "mnist", "NNVIZ_DATA_DIR")
    fashion = locate.find_dataset("fashion-mnist")  # not the mnist folder (same file names)
    assert fashion[0].resolve() == (root / "fashion-mnist").resolve()
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(root / "fashion-mnist"))
    assert locate.find_dataset("mnist")[0].resolve() == (root / "mnist").resolve()
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(root))  # the parent: NAME/ below it
    assert load_dataset("fashion-mnist").class_names[-1] == "Ankle boot"
    assert load_dataset(str(root / "mnist")).name == "mnist"  # identified by checksum


def test_gunzipped_files_are_accepted(tmp_path, monkeypatch, fake_known, idxtools):
    import gzip
    raw = {name.removesuffix(".gz"): gzip.decompress(data)
           for name, data in fake_known["mnist"].items()}
    monkeypatch.setitem(locate.SHA256, "mnist",
                        {name: idxtools.sha256(data) for name, data in raw.items()})
    idxtools.write_folder(tmp_path / "m", raw)
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path / "m"))
    assert load_dataset("mnist").x_train.shape == (30, 12)


def test_wrong_files_under_the_right_names_are_ignored(tmp_path, monkeypatch, idxtools):
    folder = idxtools.write_folder(tmp_path / "mnist", idxtools.synthetic(5))
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(folder))
    assert locate.find_dataset("mnist") is None
    with pytest.raises(DataError, match="cannot be used") as info:
        load_dataset("mnist")
    msg = str(info.value)  # names each file, says why, and where the right ones go
    assert f"{folder / 'train-images-idx3-ubyte.gz'} failed its checksum" in msg
    assert msg.endswith(f"put the 4 correct files in {folder}")


def test_hashes_are_cached_per_size_and_mtime(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"one")
    first = locate.file_sha256(path)
    key = next(k for k in locate._hash_cache if k[0] == str(path.resolve()))
    assert locate._hash_cache[key] == first
    path.write_bytes(b"other content")
    assert locate.file_sha256(path) != first


@pytest.mark.parametrize("platform, env, expected", [
    ("linux", {"XDG_CACHE_HOME": "/x/cache"}, Path("/x/cache/nnviz")),
    ("linux", {}, Path.home() / ".cache" / "nnviz"),
    ("darwin", {}, Path.home() / "Library" / "Caches" / "nnviz"),
    ("win32", {"LOCALAPPDATA": "C:/Users/a/AppData/Local"},
     Path("C:/Users/a/AppData/Local") / "nnviz" / "Cache"),
])
def test_cache_dir_per_platform(monkeypatch, real_cache_dir, platform, env, expected):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(locate.sys, "platform", platform)
    assert real_cache_dir() == expected
