"""The notebook's first part, as the course notebooks lay it out: title and objectives, the
parameters, the imports, Fashion-MNIST loaded the way the studio finds it offline, the 5x5
grid, the training/validation split, and the run's augmentation with its preview."""
from __future__ import annotations

from fashion.data import class_names
from fashion.export.cells import code, markdown, quoted
from fashion.export.recipe import Recipe
from fashion.i18n import t

# The studio's augmentations approximated with stock Keras preprocessing layers
# (fashion/training/augmentation.py does them with TensorFlow ops)
AUGMENTATION_LAYERS = {
    "shift": "layers.RandomTranslation(2 / 28, 2 / 28, fill_mode='constant', seed=SEED)",
    "flip": "layers.RandomFlip('horizontal', seed=SEED)",
    "rotate": "layers.RandomRotation(0.17 / (2 * np.pi), fill_mode='constant', seed=SEED)",
    "zoom": "layers.RandomZoom(0.1, fill_mode='constant', seed=SEED)",
    "contrast": "layers.RandomContrast(0.4, value_range=(0, 1), seed=SEED)",
    "blur": "layers.RandomGaussianBlur(0.5, kernel_size=3, sigma=(0.1, 1.0), value_range=(0, 1), seed=SEED)",
    "erase": "layers.RandomErasing(0.5, scale=(0.02, 0.25), value_range=(0, 1), seed=SEED)",
}


def title(recipe: Recipe, lang: str) -> list:
    lines = [t("export.md.title", lang, name=recipe.name), "", t("export.md.description", lang), "",
             t("export.md.objectives", lang)]
    if not recipe.card_found:
        lines += ["", t("export.md.no_card", lang)]
    return [markdown("\n".join(lines))]


def parameters(recipe: Recipe, lang: str) -> list:
    source = "\n".join([
        f"# {t('export.code.parameters', lang)}",
        f"EPOCHS = {recipe.epochs}            # {t('export.code.epochs', lang)}",
        f"TRAIN_SUBSET = {recipe.train_subset}        # {t('export.code.subset', lang)}",
        f"BATCH_SIZE = {recipe.batch_size}",
        f"SEED = {recipe.seed}",
        f"PHOTOS_DIR = 'my_photos'      # {t('export.code.photos_dir', lang)}",
        f"MODEL_FILE = {recipe_file(recipe)!r}",
    ])
    return [code(source, tags=("parameters",))]


def recipe_file(recipe: Recipe) -> str:
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in recipe.name)[:60] or "model"
    return f"{stem}-notebook.keras"


IMPORTS = """
import gzip
import os
from pathlib import Path

import cv2
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers
from PIL import Image, ImageOps
from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support

print('TensorFlow', tf.__version__, '- Keras', keras.__version__)
"""

LOADING = """
FILES = {{'train_images': ('train-images-idx3-ubyte.gz', 16), 'train_labels': ('train-labels-idx1-ubyte.gz', 8),
         'test_images': ('t10k-images-idx3-ubyte.gz', 16), 'test_labels': ('t10k-labels-idx1-ubyte.gz', 8)}}


def find_fashion_mnist():
    \"\"\"{find_doc}\"\"\"
    for folder in (os.environ.get('FASHION_MNIST_DIR'), '/usr/share/datasets/fashion-mnist',
                   '~/.keras/datasets/fashion-mnist'):
        if folder and all((Path(folder).expanduser() / name).is_file() for name, _ in FILES.values()):
            return Path(folder).expanduser()
    return None


def read_idx(path, header):
    \"\"\"{read_doc}\"\"\"
    with gzip.open(path, 'rb') as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


folder = find_fashion_mnist()
if folder is not None:
    arrays = {{key: read_idx(folder / name, header) for key, (name, header) in FILES.items()}}
    train_images, train_labels = arrays['train_images'].reshape(-1, 28, 28), arrays['train_labels']
    test_images, test_labels = arrays['test_images'].reshape(-1, 28, 28), arrays['test_labels']
    print({found}, folder)
else:
    (train_images, train_labels), (test_images, test_labels) = keras.datasets.fashion_mnist.load_data()
    print({downloaded})

# {scale}
train_images = train_images.astype('float32') / 255.0
test_images = test_images.astype('float32') / 255.0

# {reshape}
train_images = train_images.reshape((train_images.shape[0], 28, 28, 1))
test_images = test_images.reshape((test_images.shape[0], 28, 28, 1))
print(train_images.shape, test_images.shape)
"""

GRID = """
class_names = {names!r}

plt.figure(figsize=(10, 10))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.xticks([])
    plt.yticks([])
    plt.grid(False)
    plt.imshow(train_images[i].reshape(28, 28), cmap=plt.cm.binary)
    plt.xlabel(class_names[train_labels[i]])
plt.show()
"""

SPLIT = """
VALIDATION_SPLIT = {split}   # {split_comment}

rng = np.random.default_rng(SEED)
order = rng.permutation(len(train_images))
if TRAIN_SUBSET:
    order = order[:TRAIN_SUBSET]
n_validation = int(round(len(order) * VALIDATION_SPLIT))
train_index, validation_index = np.sort(order[n_validation:]), np.sort(order[:n_validation])
x_train, y_train = train_images[train_index], train_labels[train_index]
if n_validation:
    x_val, y_val = train_images[validation_index], train_labels[validation_index]
else:  # {on_test}
    x_val, y_val = test_images, test_labels
print({sizes}, len(x_train), '/', len(x_val))
"""

PREVIEW = """
image = x_train[:1]
plt.figure(figsize=(2 * (len(AUGMENTATIONS) + 1), 2.6))
plt.subplot(1, len(AUGMENTATIONS) + 1, 1)
plt.imshow(image[0, :, :, 0], cmap=plt.cm.binary, vmin=0, vmax=1)
plt.title({original})
plt.axis('off')
for k, (name, layer) in enumerate(AUGMENTATIONS.items(), start=2):
    plt.subplot(1, len(AUGMENTATIONS) + 1, k)
    plt.imshow(np.asarray(layer(image, training=True))[0, :, :, 0], cmap=plt.cm.binary, vmin=0, vmax=1)
    plt.title(name)
    plt.axis('off')
plt.show()
"""


def data(recipe: Recipe, lang: str) -> list:
    loading = LOADING.format(find_doc=t("export.code.find_doc", lang), read_doc=t("export.code.read_doc", lang),
                             found=quoted("export.code.found", lang), downloaded=quoted("export.code.downloaded", lang),
                             scale=t("export.code.scale", lang), reshape=t("export.code.reshape", lang))
    split = SPLIT.format(split=recipe.validation_split, split_comment=t("export.code.split", lang),
                         on_test=t("export.code.on_test", lang), sizes=quoted("export.code.sizes", lang))
    return [markdown(t("export.md.imports", lang)), code(IMPORTS),
            markdown(t("export.md.loading", lang)), code(loading),
            markdown(t("export.md.grid", lang)), code(GRID.format(names=class_names(lang))),
            markdown(t("export.md.split", lang)), code(split)]


def augmentation(recipe: Recipe, lang: str) -> list:
    """The run's augmentation as Keras preprocessing layers, and one training image under each."""
    if not recipe.augmentations:
        return []
    known = [a for a in recipe.augmentations if a in AUGMENTATION_LAYERS]
    entries = "\n".join(f"    {name!r}: {AUGMENTATION_LAYERS[name]}," for name in known)
    source = (f"AUGMENTATIONS = {{\n{entries}\n}}\n"
              "data_augmentation = keras.Sequential(list(AUGMENTATIONS.values()), name='data_augmentation')")
    return [markdown(t("export.md.augmentation", lang, names=", ".join(known))), code(source),
            markdown(t("export.md.preview", lang)), code(PREVIEW.format(original=quoted("export.code.original", lang)))]
