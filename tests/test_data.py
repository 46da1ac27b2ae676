"""The loader on the real files, a damaged copy, and missing data."""
import gzip
import shutil

import numpy as np
import pytest

from fashion import data
from fashion.data import FILES
from fashion.errors import DatasetError


@pytest.fixture(scope="module")
def real():
    return data.load()


def test_real_files_have_the_right_shapes(real):
    assert real.x_train.shape == (60000, 28, 28) and real.x_train.dtype == np.uint8
    assert real.x_test.shape == (10000, 28, 28) and real.y_test.shape == (10000,)
    assert set(np.unique(real.y_train)) == set(range(10))
    assert np.bincount(real.y_test).tolist() == [1000] * 10
    assert not real.x_train.flags.writeable  # shared read-only across sessions


def test_loaded_once_per_process(real):
    assert data.load() is real


def test_class_names_in_both_languages():
    assert data.class_names("en")[6] == "Shirt"
    assert data.class_names("es")[0] == "Camiseta/Top" and data.class_names("es")[9] == "Botín"
    assert data.class_names("xx") == data.class_names("en")


def test_env_var_folder_comes_first(tmp_path, monkeypatch, real):
    src = data.find_data_dir()[1]
    for name, _, _ in FILES.values():
        (tmp_path / name).symlink_to(src / name)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    label, folder = data.find_data_dir()
    assert label == "FASHION_MNIST_DIR" and folder == tmp_path
    assert np.array_equal(data.load_from_dir(folder).y_test, real.y_test)


def _copy_all(src, dst):
    for name, _, _ in FILES.values():
        shutil.copy(src / name, dst / name)


def test_truncated_file_names_the_file(tmp_path):
    _copy_all(data.find_data_dir()[1], tmp_path)
    bad = tmp_path / "t10k-images-idx3-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    with pytest.raises(DatasetError, match="t10k-images-idx3-ubyte.gz.*(damaged|truncated)"):
        data.load_from_dir(tmp_path)


def test_wrong_count_and_magic_are_reported(tmp_path):
    _copy_all(data.find_data_dir()[1], tmp_path)
    labels = tmp_path / "t10k-labels-idx1-ubyte.gz"
    raw = gzip.decompress(labels.read_bytes())
    labels.write_bytes(gzip.compress(raw[:8] + raw[8:5008]))  # right header, half the labels
    with pytest.raises(DatasetError, match="t10k-labels-idx1-ubyte.gz is 5008 bytes"):
        data.load_from_dir(tmp_path)
    labels.write_bytes(gzip.compress((1234).to_bytes(4, "big") + raw[4:]))
    with pytest.raises(DatasetError, match="magic number 1234"):
        data.load_from_dir(tmp_path)


def test_missing_folder_and_missing_file_say_how_to_get_it(tmp_path):
    with pytest.raises(DatasetError, match="does not exist.*apt-get install dataset-fashion-mnist"):
        data.load_from_dir(tmp_path / "nowhere")
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz is missing.*FASHION_MNIST_DIR"):
        data.load_from_dir(tmp_path)


def test_no_data_and_no_network(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "candidate_dirs", lambda: [("empty", tmp_path)])

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    import keras
    monkeypatch.setattr(keras.utils, "get_file", offline)
    data.load.cache_clear()
    try:
        with pytest.raises(DatasetError, match="could not be downloaded.*network is unreachable.*apt-get install"):
            data.load()
    finally:
        data.load.cache_clear()


def test_model_input_scaling():
    x = data.to_model_input(np.array([[[0, 255] * 14] * 28], np.uint8))
    assert x.shape == (1, 28, 28, 1) and x.dtype == np.float32 and x.min() == 0 and x.max() == 1
