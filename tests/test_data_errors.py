"""Issue 19, findings 9 and 10: MNIST errors keep their cause and give advice that fits it."""

import errno
import os
import urllib.error

import numpy as np
import pytest

from helpers import data


@pytest.fixture
def no_local(monkeypatch, tmp_path):
    """No MNIST_NPZ and no repo-local copy, whatever the machine has."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setattr(data, "LOCAL_NPZ", tmp_path / "absent" / "mnist.npz")


def good_npz(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        y_train=np.arange(6, dtype=np.uint8),
        x_test=rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        y_test=np.arange(3, dtype=np.uint8),
    )
    return path


def one_line(err):
    text = str(err.value)
    assert text and "\n" not in text, text
    return text


def test_unreadable_file_says_cannot_read_and_does_not_advise_replacing_it(
    tmp_path, monkeypatch, no_local
):
    """Before: 'corrupt or truncated .npz ...: replace it with a good copy' for a good file without
    read access."""
    path = good_npz(tmp_path)
    monkeypatch.setenv(data.ENV_VAR, str(path))
    # a real unreadable file, where chmod can make one: not as root (root reads it anyway) and not
    # on Windows (no os.geteuid, and chmod 0 only sets read-only); simulated below everywhere
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        path.chmod(0)
        try:
            with pytest.raises(data.MnistError) as err:
                data.load_mnist()
        finally:
            path.chmod(0o644)
        text = one_line(err)
        assert text.startswith(f"cannot read {path}: permission denied") and "replace" not in text
    real_load = np.load

    def denied(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_load(file, *args, **kwargs)

    monkeypatch.setattr(np, "load", denied)
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    text = one_line(err)
    assert text.startswith(f"cannot read {path}: permission denied")
    assert "replace" not in text and "corrupt" not in text and "may be fine" in text
    assert isinstance(err.value.__cause__, PermissionError)


def test_io_error_is_not_called_corruption(tmp_path, monkeypatch, no_local):
    path = good_npz(tmp_path)
    monkeypatch.setenv(data.ENV_VAR, str(path))

    def broken_disk(file, *args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(np, "load", broken_disk)
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    text = one_line(err)
    assert (
        text.startswith(f"cannot read {path}")
        and "Input/output error" in text
        and "replace" not in text
    )


def test_failed_download_shows_its_reason_and_chains_it(monkeypatch, no_local):
    """Before: '(Exception)' with the DNS error dropped. Keras raises a plain Exception whose
    message holds the URLError; the URLError itself is its context."""

    def keras_like_download():
        try:
            raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))
        except urllib.error.URLError as e:
            raise Exception(
                f"URL fetch failure on https://storage.googleapis.com/mnist.npz: None -- {e.reason}"
            )  # noqa: TRY002 (as Keras raises it)

    monkeypatch.setattr(data, "_download", keras_like_download)
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    text = one_line(err)
    assert "download failed (Exception: URL fetch failure" in text
    assert "Temporary failure in name resolution" in text and data.ENV_VAR in text
    assert type(err.value.__cause__) is Exception and isinstance(
        err.value.__cause__.__context__, urllib.error.URLError
    )


def test_failed_download_names_a_cause_the_message_does_not_hold(monkeypatch, no_local):
    def wrapped():
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError as e:
            raise RuntimeError("download\nincomplete") from e

    monkeypatch.setattr(data, "_download", wrapped)
    with pytest.raises(data.MnistError) as err:
        data.load_mnist()
    text = one_line(err)
    assert (
        "RuntimeError: download incomplete; caused by ConnectionResetError: [Errno 104] Connection "
        "reset by peer" in text
    )


def test_empty_mnist_npz_is_reported_as_set_but_empty(monkeypatch, no_local):
    """Before: MNIST_NPZ="" was silently treated as unset (and the download tried)."""
    monkeypatch.setattr(
        data, "_download", lambda: pytest.fail("must not fall back to the download")
    )
    for value in ("", "  "):
        monkeypatch.setenv(data.ENV_VAR, value)
        with pytest.raises(data.MnistError) as err:
            data.load_mnist()
        assert one_line(err).startswith(f"{data.ENV_VAR} is set but empty")


def test_unset_mnist_npz_still_means_local_copy_then_download(tmp_path, monkeypatch, no_local):
    assert data.mnist_source() is None
    path = good_npz(tmp_path)
    monkeypatch.setattr(data, "LOCAL_NPZ", path)
    assert data.mnist_source() == path
