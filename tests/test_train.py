"""Training end to end on real data (small subsets), the stop flag, resume, validation."""
import numpy as np
import pytest

from fashion.errors import TrainingFailed
from fashion.training.config import PRESETS, TrainConfig
from fashion.training.datasets import split_indices
from fashion.training.train import train


def test_small_subset_beats_70_percent_and_reports_progress_in_order():
    from fashion import data
    from fashion.judging.measure import compute
    events = []
    config = TrainConfig(architecture="seed_cnn", epochs=2, batch_size=64, train_subset=4000,
                         validation_split=0.1, seed=3)
    phases = []   # (phase, fraction, events seen so far): nothing between batches goes unreported
    result = train(config, on_batch=lambda p: events.append(("batch", p.epoch, p.batch)),
                   on_epoch=lambda e, m: events.append(("epoch", e, m)),
                   on_phase=lambda name, f: phases.append((name, f, len(events))))
    assert result.test_metrics["accuracy"] > 0.70
    assert result.epochs_completed == 2 and not result.stopped_early
    assert set(result.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 2 for v in result.history.values())
    batches = [e for e in events if e[0] == "batch"]
    assert len(batches) == 2 * 57  # 3600 images / 64
    assert batches == sorted(batches, key=lambda e: (e[1], e[2]))
    epoch_ends = [i for i, e in enumerate(events) if e[0] == "epoch"]
    assert epoch_ends == [57, 115]  # each epoch reported right after its last batch
    assert result.model.output_shape == (None, 10)
    validating = [p for p in phases if p[0] == "validating"]
    assert {p[2] for p in validating} == set(epoch_ends)    # after each epoch's last batch, before its epoch event
    assert all([p[1] for p in validating if p[2] == end][-1] == 1.0 for end in epoch_ends)   # its own progress
    assert [p[0] for p in phases if p[0] != "validating"] == ["recalibrating", "testing"]
    assert all(p[2] == len(events) for p in phases if p[0] != "validating")
    # the stored evaluation takes what train() measured: the test set is not classified again
    clf = result.classifier
    batches_before = clf.batches_run
    stored = compute(clf, data.load(), "sha", measured=result.measured())
    assert clf.batches_run - batches_before <= -(-stored.summary["sample_size"] // clf.batch_size)
    assert stored.summary["accuracy"] == pytest.approx(result.test_metrics["accuracy"])
    assert stored.summary["real_photos"] == result.photo_metrics


def test_should_stop_stops_within_a_batch_and_keeps_the_complete_epoch():
    seen = []
    config = TrainConfig(architecture="seed_cnn", epochs=5, batch_size=50, train_subset=2000, validation_split=0.1)
    stop_at = 36 + 5  # 36 batches per epoch: stop 5 batches into the second epoch
    result = train(config, on_batch=lambda p: seen.append(p), should_stop=lambda: len(seen) >= stop_at)
    assert len(seen) == stop_at  # no batch ran after the flag was seen
    assert result.stopped_early and result.epochs_completed == 1
    assert len(result.history["loss"]) == 1


def test_stop_before_any_epoch_is_a_clear_failure():
    config = TrainConfig(architecture="seed_cnn", epochs=2, train_subset=1000)
    with pytest.raises(TrainingFailed, match="before the first epoch"):
        train(config, should_stop=lambda: True)


def test_interrupted_run_resumes_from_the_last_epoch(tmp_path):
    config = TrainConfig(architecture="seed_cnn", epochs=3, batch_size=100, train_subset=1000, validation_split=0.1)
    count = {"n": 0}

    def crash(p):
        count["n"] += 1
        if p.epoch == 1 and p.batch == 3:
            raise KeyboardInterrupt  # as if the machine went away in epoch 2

    with pytest.raises(KeyboardInterrupt):
        train(config, on_batch=crash, backup_dir=tmp_path / "ckpt")
    epochs_seen = []
    result = train(config, on_epoch=lambda e, m: epochs_seen.append(e), backup_dir=tmp_path / "ckpt")
    assert epochs_seen == [1, 2]  # epoch 0 was not trained again
    assert len(result.history["loss"]) == 3 and result.epochs_completed == 3


def test_split_is_reproducible_and_disjoint():
    c = TrainConfig(train_subset=1000, validation_split=0.2, seed=5)
    a_tr, a_val = split_indices(60000, c)
    b_tr, b_val = split_indices(60000, c)
    assert np.array_equal(a_tr, b_tr) and np.array_equal(a_val, b_val)
    assert len(a_tr) == 800 and len(a_val) == 200 and not set(a_tr) & set(a_val)


def test_same_seed_same_first_epoch():
    config = TrainConfig(architecture="seed_cnn", epochs=1, batch_size=100, train_subset=1000, seed=11)
    a, b = train(config), train(config)
    assert a.history["loss"][0] == pytest.approx(b.history["loss"][0], rel=1e-3)


@pytest.mark.parametrize("change, key, message", [
    ({"epochs": 0}, "config.err.range", "epochs"), ({"batch_size": 0}, "config.err.range", "batch_size"),
    ({"learning_rate": 0}, "config.err.learning_rate", "learning rate"),
    ({"validation_split": 0.7}, "config.err.validation_split", "validation share"),
    ({"train_subset": 50}, "config.err.train_subset", "100 training images"),
    ({"architecture": "vgg99"}, "config.err.architecture", "Unknown architecture"),
    ({"augmentations": ("warp",)}, "config.err.augmentations", "Unknown augmentation"),
    ({"train_subset": 200, "batch_size": 512}, "config.err.batch_too_big", "larger than the 180 images"),
    ({"architecture": "custom", "arch_params": {"conv_blocks": 7}}, "config.err.range", "conv_blocks"),
    ({"epochs": "5"}, "config.err.type_int", "epochs must be a whole number"),
    ({"architecture": "custom", "arch_params": {"conv_blocks": "2"}}, "config.err.type_int", "conv_blocks"),
    ({"architecture": "resnet", "arch_params": {"depth": 3}}, "config.err.arch_param", "no setting 'depth'"),
])
def test_invalid_configs_are_refused_with_a_keyed_message(change, key, message):
    """Each problem carries an i18n key (pages translate it) and reads as English text."""
    with pytest.raises(ValueError, match=message) as info:
        TrainConfig(**change).validate()
    assert info.value.key == key and (key, info.value.params) in TrainConfig(**change).problems()
    assert info.value.message("es") != str(info.value)   # really translated


def test_presets_are_valid_and_roundtrip():
    for name, preset in PRESETS.items():
        preset.validate()
        assert TrainConfig.from_dict(preset.to_dict()) == preset, name


def test_batch_norm_recalibration_restores_inference_statistics():
    from fashion import data
    from fashion.model.architectures import custom_cnn
    from fashion.training.network import recalibrate_batch_norm
    model = custom_cnn(conv_blocks=2, dropout=0.0, batch_norm=True)  # no dropout: training mode is deterministic
    for layer in model.layers:  # moving statistics far from the truth, as after a fast high-LR run
        if hasattr(layer, "moving_mean"):
            layer.moving_mean.assign(layer.moving_mean + 5.0)
    x = data.to_model_input(data.load().x_train[:256])
    training_mode = np.asarray(model(x, training=True))
    assert not np.allclose(np.asarray(model(x, training=False)), training_mode, atol=1e-3)
    assert recalibrate_batch_norm(model, data.load().x_train[:256], count=256)
    np.testing.assert_allclose(np.asarray(model(x, training=False)), training_mode, atol=2e-3)
    from fashion.model.architectures import seed_cnn
    assert not recalibrate_batch_norm(seed_cnn(), data.load().x_train[:10])
