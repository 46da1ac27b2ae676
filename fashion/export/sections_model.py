"""The notebook's middle: the network as Keras code, compiled and trained with the run's
optimizer, schedule, label smoothing, batch size and validation split, seeded; then judged
as the course asks (curves, test accuracy, confusion matrix, per-class metrics, most
confused pairs, the prediction viewer of notebook 000) and saved."""
from __future__ import annotations

from fashion.export.cells import code, markdown, quoted
from fashion.export.keras_code import NetworkCode
from fashion.export.recipe import Recipe
from fashion.i18n import t

OPTIMIZERS = {   # as fashion/training/network.make_optimizer builds them
    "adam": "keras.optimizers.Adam(learning_rate)",
    "adamw": "keras.optimizers.AdamW(learning_rate, weight_decay={decay})",
    "sgd": "keras.optimizers.SGD(learning_rate, momentum=0.9, nesterov=True)",
    "rmsprop": "keras.optimizers.RMSprop(learning_rate)",
}

SCHEDULES = {    # as fashion/training/network.learning_rate_schedule builds them
    "constant": "learning_rate = LEARNING_RATE",
    "cosine": """
warmup_steps = int({warmup} * steps_per_epoch)
learning_rate = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=LEARNING_RATE / 10 if warmup_steps else LEARNING_RATE,
    decay_steps=max(1, total_steps - warmup_steps), alpha=0.01,
    warmup_target=LEARNING_RATE if warmup_steps else None, warmup_steps=warmup_steps)""",
    "onecycle": """
warmup_steps = max(1, int(0.3 * total_steps))
learning_rate = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=LEARNING_RATE / 20, decay_steps=total_steps - warmup_steps, alpha=0.002,
    warmup_target=LEARNING_RATE, warmup_steps=warmup_steps)""",
}


def network(recipe: Recipe, network_code: NetworkCode, lang: str) -> list:
    source = (f"keras.utils.set_random_seed(SEED)   # {t('export.code.seeded', lang)}\n\n"
              f"{network_code.build}\n\nmodel.summary()\nprint('count_params =', model.count_params())")
    return [markdown(t("export.md.network", lang, architecture=network_code.architecture,
                       layers=network_code.layer_count)), code(source)]


def training(recipe: Recipe, lang: str) -> list:
    smoothing = recipe.label_smoothing
    schedule = SCHEDULES.get(recipe.lr_schedule, SCHEDULES["constant"]).format(warmup=recipe.warmup_epochs)
    optimizer = OPTIMIZERS.get(recipe.optimizer, OPTIMIZERS["adam"]).format(decay=recipe.weight_decay or 1e-4)
    loss = (f"keras.losses.CategoricalCrossentropy(label_smoothing={smoothing})" if smoothing
            else "'sparse_categorical_crossentropy'")
    compile_source = "\n".join([
        f"LEARNING_RATE = {recipe.learning_rate}",
        "steps_per_epoch = int(np.ceil(len(x_train) / BATCH_SIZE))",
        "total_steps = max(1, EPOCHS * steps_per_epoch)",
        schedule.strip("\n"),
        f"optimizer = {optimizer}",
        "",
        f"model.compile(optimizer=optimizer,\n              loss={loss},\n              metrics=['accuracy'])",
    ])
    if smoothing:
        targets = (f"# {t('export.code.one_hot', lang)}\n"
                   "train_targets = keras.utils.to_categorical(y_train, 10)\n"
                   "val_targets = keras.utils.to_categorical(y_val, 10)\n")
    else:
        targets = "train_targets, val_targets = y_train, y_val\n"
    augment = ("\n                 .map(lambda x, y: (data_augmentation(x, training=True), y))"
               if recipe.augmentations else "")
    fit = (targets + f"# {t('export.code.batches', lang)}\n"
           "train_batches = (tf.data.Dataset.from_tensor_slices((x_train, train_targets))\n"
           "                 .shuffle(len(x_train), seed=SEED)\n"
           f"                 .batch(BATCH_SIZE){augment})\n"
           "history = model.fit(train_batches, epochs=EPOCHS,\n"
           "                    validation_data=(x_val, val_targets), verbose=2)")
    described = t("export.md.training", lang, optimizer=recipe.optimizer, learning_rate=recipe.learning_rate,
                  schedule=recipe.lr_schedule, smoothing=smoothing, batch=recipe.batch_size, epochs=recipe.epochs,
                  split=recipe.validation_split)
    return [markdown(described), code(compile_source), code(fit)]


def flip_tta(network_code: NetworkCode, lang: str) -> list:
    if not network_code.flip_tta:
        return []
    source = f"# {t('export.code.flip_tta', lang)}\n{network_code.flip_tta}\nprint('count_params =', model.count_params())"
    return [markdown(t("export.md.flip_tta", lang)), code(source)]


CURVES = """
plt.figure(figsize=(12, 5))
plt.subplot(1, 2, 1)
plt.plot(history.history['accuracy'], label={train_acc})
plt.plot(history.history['val_accuracy'], label={val_acc})
plt.xlabel({epoch})
plt.legend(loc='lower right')
plt.title({acc_title})

plt.subplot(1, 2, 2)
plt.plot(history.history['loss'], label={train_loss})
plt.plot(history.history['val_loss'], label={val_loss})
plt.xlabel({epoch})
plt.legend(loc='upper right')
plt.title({loss_title})
plt.show()
"""

CONFUSION = """
predictions = model.predict(test_images, verbose=0)
predicted_labels = np.argmax(predictions, axis=1)
matrix = confusion_matrix(test_labels, predicted_labels, labels=range(10))

plt.figure(figsize=(9, 8))
plt.imshow(matrix, cmap='Blues')
plt.colorbar()
plt.xticks(range(10), class_names, rotation=45, ha='right')
plt.yticks(range(10), class_names)
for i in range(10):
    for j in range(10):
        plt.text(j, i, matrix[i, j], ha='center', va='center', fontsize=8,
                 color='white' if matrix[i, j] > matrix.max() / 2 else 'black')
plt.xlabel({predicted})
plt.ylabel({true})
plt.title({title})
plt.show()
"""

PAIRS = """
pairs = [(matrix[i, j], class_names[i], class_names[j]) for i in range(10) for j in range(10) if i != j]
for count, true_name, predicted_name in sorted(pairs, reverse=True)[:5]:
    print(f'{{count:4d}}  {{true_name}} -> {{predicted_name}}')
"""

VIEWER = """
def plot_image(i, predictions_array, true_label, img):
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img.reshape(28, 28), cmap=plt.cm.binary)
    predicted_label = np.argmax(predictions_array)
    color = 'blue' if predicted_label == true_label else 'red'
    plt.xlabel('{{}} {{:2.0f}}% ({{}})'.format(class_names[predicted_label], 100 * np.max(predictions_array),
                                       class_names[true_label]), color=color)


def plot_value_array(i, predictions_array, true_label):
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10), class_names, rotation=90)
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color='#777777')
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color('red')
    thisplot[true_label].set_color('blue')


# {comment}
wrong = np.flatnonzero(predicted_labels != test_labels)
shown = list(range(4)) + list(wrong[:2])
plt.figure(figsize=(12, 2.8 * len(shown)))
for row, i in enumerate(shown):
    plt.subplot(len(shown), 2, 2 * row + 1)
    plot_image(i, predictions[i], test_labels, test_images)
    plt.subplot(len(shown), 2, 2 * row + 2)
    plot_value_array(i, predictions[i], test_labels)
plt.tight_layout()
plt.show()
"""


def judging(recipe: Recipe, network_code: NetworkCode, lang: str) -> list:
    q = {k: quoted(f"export.code.{k}", lang) for k in ("train_acc", "val_acc", "train_loss", "val_loss", "epoch",
                                                       "acc_title", "loss_title", "test_accuracy")}
    evaluate = ""
    if recipe.label_smoothing or network_code.flip_tta:
        evaluate = (f"# {t('export.code.recompile', lang)}\n"
                    "model.compile(loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n")
    evaluate += ("test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)\n"
                 f"print({q['test_accuracy']}, test_acc)")
    confusion = CONFUSION.format(predicted=quoted("export.code.predicted", lang), true=quoted("export.code.true", lang),
                                 title=quoted("export.code.confusion_title", lang))
    report = "print(classification_report(test_labels, predicted_labels, target_names=class_names, digits=3))"
    return [markdown(t("export.md.curves", lang)), code(CURVES.format(**q)),
            markdown(t("export.md.evaluate", lang)), code(evaluate),
            markdown(t("export.md.confusion", lang)), code(confusion),
            markdown(t("export.md.per_class", lang)), code(report),
            markdown(t("export.md.pairs", lang)), code(PAIRS.format()),
            markdown(t("export.md.viewer", lang)), code(VIEWER.format(comment=t("export.code.viewer", lang))),
            markdown(t("export.md.save", lang)),
            code("model.save(MODEL_FILE)\nprint(" + quoted("export.code.saved", lang) + ", MODEL_FILE)")]
