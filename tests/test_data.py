"""helpers.data: every bad input gets one clear line; good files load as Keras would."""

import zipfile

import numpy as np
import pytest

from helpers import data


def small_arrays(n_train=12, n_test=5):
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test).astype(np.uint8),
    }


@pytest.fixture
def no_local(monkeypatch, tmp_path):
    """No MNIST_NPZ and no repo-local copy, whatever the machine has."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setattr(data, "LOCAL_NPZ", tmp_path / "absent" / "mnist.npz")


def write(tmp_path, arrays, name="mnist.npz"):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def one_line(err):
    text = str(err.value)
    assert "\n" not in text and text
    return text


def test_env_file_loads_like_keras(tmp_path, monkeypatch, no_local):
    arrays = small_arrays()
    monkeypatch.setenv(data.ENV_VAR, str(write(tmp_path, arrays)))
    (xtr, ytr), (xte, yte) = data.load_mnist()
    assert xtr.dtype == np.uint8 and xtr.shape == (12, 28, 28)
    np.testing.assert_array_equal(xtr, arrays["x_train"])
    np.testing.assert_array_equal(yte, arrays["y_test"])


def test_repo_local_copy_is_second_choice(tmp_path, monkeypatch, no_local):
    path = write(tmp_path, small_arrays())
    monkeypatch.setattr(data, "LOCAL_NPZ", path)
    assert data.mnist_source() == path
    assert data.load_mnist()[1][0].shape == (5, 28, 28)


def test_env_names_missing_file(tmp_path, monkeypatch, no_local):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "nope.npz"))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert "names no file" in one_line(err) and "nope.npz" in str(err.value)


def test_truncated_file(tmp_path, monkeypatch, no_local):
    path = write(tmp_path, small_arrays())
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert "corrupt" in one_line(err) or "not a readable" in one_line(err)


def test_not_a_zip_at_all(tmp_path, monkeypatch, no_local):
    path = tmp_path / "mnist.npz"
    path.write_text("this is not numpy data", encoding="utf-8")
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert str(path) in one_line(err)


def test_corrupt_member(tmp_path, monkeypatch, no_local):
    path = tmp_path / "mnist.npz"
    with zipfile.ZipFile(path, "w") as z:
        for key in data.KEYS:
            z.writestr(f"{key}.npy", b"garbage, not an npy header")
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert str(path) in one_line(err)


def test_pickled_objects_are_refused(tmp_path, monkeypatch, no_local):
    arrays = small_arrays()
    arrays["y_train"] = np.array([{"evil": 1}] * 12, dtype=object)
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    monkeypatch.setenv(data.ENV_VAR, str(path))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert "pickle" in one_line(err)


def test_missing_key(tmp_path, monkeypatch, no_local):
    arrays = small_arrays()
    del arrays["y_test"]
    monkeypatch.setenv(data.ENV_VAR, str(write(tmp_path, arrays)))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert "y_test" in one_line(err)


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("x_train", np.zeros((12, 28, 27), np.uint8), "expected (N, 28, 28)"),
        ("x_test", np.zeros((5, 784), np.uint8), "expected (N, 28, 28)"),
        ("y_train", np.zeros(11, np.uint8), "to match x_train"),
        ("x_train", np.zeros((12, 28, 28), np.float32), "expected uint8"),
        ("y_test", np.full(5, 10, np.uint8), "labels 0..9"),
    ],
)
def test_wrong_shapes_dtypes_labels(tmp_path, monkeypatch, no_local, key, value, words):
    arrays = small_arrays()
    arrays[key] = value
    monkeypatch.setenv(data.ENV_VAR, str(write(tmp_path, arrays)))
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert words in one_line(err)


def test_no_local_file_and_no_network(monkeypatch, no_local):
    def offline():
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(data, "_download", offline)
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    assert "download failed" in one_line(err) and data.ENV_VAR in str(err.value)


def test_download_used_when_no_local_file(monkeypatch, no_local):
    arrays = small_arrays()
    monkeypatch.setattr(
        data,
        "_download",
        lambda: ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])),
    )
    (xtr, _), _ = data.load_mnist()
    assert xtr.shape == (12, 28, 28)


def test_prepare_flattens_scales_one_hots():
    arrays = small_arrays()
    x, y = data.prepare(arrays["x_train"], arrays["y_train"])
    assert x.shape == (12, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(y.argmax(1), arrays["y_train"])
    assert y.shape == (12, 10) and np.all(y.sum(1) == 1)
    with pytest.raises(data.MnistError, match="expected"):
        data.prepare(arrays["x_train"].reshape(12, -1), arrays["y_train"])


def test_shared_copy_is_valid_when_present():
    """The real file, when this machine has it (CI does): full Keras layout."""
    path = data.ROOT.parent / "shared" / "data" / "mnist.npz"
    if not path.is_file():
        pytest.skip("no shared MNIST copy on this machine")
    (xtr, ytr), (xte, yte) = data.read_npz(path)
    assert xtr.shape == (60000, 28, 28) and xte.shape == (10000, 28, 28)
    assert set(np.unique(ytr)) == set(range(10))
