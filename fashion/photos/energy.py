"""How much evidence the network finds in an input: its energy logsumexp(logits) (Liu et al.,
2020, "Energy-based out-of-distribution detection"), high for inputs that show the features
it learned and low for things it never saw, expressed as a z-score against the same
network's energies on real Fashion-MNIST test images (so one rule carries over to any model).

    reference = reference_energy(classifier)                 # once per model: (median, std) or None
    probs, z = photo_scores(classifier, x, reference)        # z is None without a reference
"""
from __future__ import annotations

import numpy as np

from fashion.data import load
from fashion.model.network import logsumexp

REFERENCE_IMAGES = 2000      # Fashion-MNIST test images that set the network's usual energy


def reference_energy(classifier, images: int = REFERENCE_IMAGES) -> tuple[float, float] | None:
    """(median, std) of the network's energy on Fashion-MNIST test images, or None when the
    network has no logits or the dataset is not here."""
    try:
        logits = classifier.logits(load().x_test[:images])
    except Exception:                # no dataset here: fall back to probabilities alone
        return None
    if logits is None:
        return None
    energy = logsumexp(logits.astype(np.float64))
    return float(np.median(energy)), float(max(np.std(energy), 1e-6))


def photo_scores(classifier, x: np.ndarray,
                 reference: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray | None]:
    """(probabilities (N, 10), energy z-score (N,) or None) for (N, 28, 28) inputs in [0, 1]:
    each seen as is and mirrored, both answers averaged (Classifier.mirror_scores), the
    energy set against `reference` (reference_energy of the same classifier)."""
    probs, energy = classifier.mirror_scores(x)
    if energy is None or reference is None:
        return probs, None
    median, std = reference
    return probs, (energy - median) / std
