"""The notebook's end: what it does not repeat of the studio's run, the student's own photos
(notebook 004's generalisation question), and the informe: the studio's figures for this
run beside the notebook's own, design decisions, limitations, and room for reflections."""
from __future__ import annotations

from fashion.data import class_names
from fashion.export.cells import code, markdown, percent, quoted
from fashion.export.recipe import Recipe
from fashion.i18n import t

PHOTO_STEPS = """
def photo_to_fashion_mnist(path):
    \"\"\"{doc}\"\"\"
    grey = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert('L'))
    # 1. {find}
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if contours:
        garment = max(contours, key=cv2.contourArea)
        x, y, w, h = cv2.boundingRect(garment)
        only = np.zeros_like(mask)
        cv2.drawContours(only, [garment], -1, 255, thickness=cv2.FILLED)
        grey = np.where(only > 0, grey, 255)[y:y + h, x:x + w]
    # 2. {resize}
    scale = 28 / max(grey.shape)
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    small = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    # 3. {centre}
    canvas = np.full((28, 28), 255, dtype=np.uint8)
    top, left = (28 - small.shape[0]) // 2, (28 - small.shape[1]) // 2
    canvas[top:top + small.shape[0], left:left + small.shape[1]] = small
    # 4. {negate}
    return (255 - canvas).astype('float32') / 255.0


photo_paths = sorted(p for p in Path(PHOTOS_DIR).expanduser().glob('*')
                     if p.suffix.lower() in ('.jpg', '.jpeg', '.png', '.webp', '.bmp'))
if not photo_paths:
    print({empty}, Path(PHOTOS_DIR).expanduser().resolve())
else:
    photos = np.stack([photo_to_fashion_mnist(p) for p in photo_paths])[..., None]
    photo_predictions = model.predict(photos, verbose=0)
    columns = 4
    rows = int(np.ceil(len(photos) / columns))
    plt.figure(figsize=(3 * columns, 3.4 * rows))
    for k, (path, probabilities) in enumerate(zip(photo_paths, photo_predictions)):
        plt.subplot(rows, columns, k + 1)
        plt.xticks([])
        plt.yticks([])
        plt.imshow(photos[k, :, :, 0], cmap=plt.cm.binary)
        plt.xlabel('{{}}\\n{{}} {{:.0f}}%'.format(path.name[:24], class_names[np.argmax(probabilities)],
                                           100 * np.max(probabilities)))
    plt.show()
"""

BESIDE = """
STUDIO_TEST_ACCURACY = {accuracy}
STUDIO_RECALL = {recall}
STUDIO, NOTEBOOK, TEST_ACCURACY = {studio}, {notebook}, {test_accuracy}

_, notebook_recall, _, _ = precision_recall_fscore_support(test_labels, predicted_labels, labels=range(10),
                                                           zero_division=0)
print(f'{{"":<16}}{{STUDIO:>10}}{{NOTEBOOK:>10}}')
if STUDIO_TEST_ACCURACY is not None:
    print(f'{{TEST_ACCURACY:<16}}{{STUDIO_TEST_ACCURACY:>10.2%}}{{test_acc:>10.2%}}')
for k, name in enumerate(class_names):
    studio = '' if STUDIO_RECALL[k] is None else format(STUDIO_RECALL[k], '.1%')
    print(f'{{name:<16}}{{studio:>10}}{{notebook_recall[k]:>10.1%}}')
"""


def not_repeated(recipe: Recipe, lang: str) -> list:
    """What the studio's run did that this notebook leaves out, and why."""
    lines = []
    if recipe.photos:
        lines.append(t("export.md.not_photos", lang))
    if recipe.finetune:
        lines.append(t("export.md.not_finetune", lang))
    elif recipe.started_from:
        lines.append(t("export.md.not_init", lang, start=recipe.started_from.rsplit("/", 1)[-1]))
    if not lines:
        return []
    return [markdown("\n\n".join([t("export.md.not_repeated", lang), *lines]))]


def photos(lang: str) -> list:
    source = PHOTO_STEPS.format(doc=t("export.code.photo_doc", lang), find=t("export.code.photo_find", lang),
                                resize=t("export.code.photo_resize", lang), centre=t("export.code.photo_centre", lang),
                                negate=t("export.code.photo_negate", lang), empty=quoted("export.code.photo_empty", lang))
    return [markdown(t("export.md.photos", lang)), code(source), markdown(t("export.md.generalise", lang))]


def _per_class_rows(recipe: Recipe, lang: str) -> tuple[list[str], list]:
    names = class_names(lang)
    recall = [None] * 10
    rows = ["| " + " | ".join(t(f"export.md.col_{c}", lang) for c in ("class", "precision", "recall", "f1")) + " |",
            "|---|---:|---:|---:|"]
    for row in recipe.card.get("per_class") or []:
        index = row.get("class", row.get("index"))
        if not isinstance(index, int) or not 0 <= index < 10:
            continue
        recall[index] = row.get("recall") if isinstance(row.get("recall"), (int, float)) else None
        rows.append(f"| {names[index]} | " + " | ".join(percent(row.get(k), lang) for k in ("precision", "recall", "f1"))
                    + " |")
    return (rows if len(rows) > 2 else []), recall


def _findings(recipe: Recipe, lang: str) -> list[str]:
    """Limitations the card shows, and what to try next."""
    card, found = recipe.card, []
    rows = [r for r in card.get("per_class") or [] if isinstance(r.get("f1"), (int, float)) and
            isinstance(r.get("class", r.get("index")), int)]
    if rows:
        weakest = min(rows, key=lambda r: r["f1"])
        found.append(t("export.md.weakest", lang, name=class_names(lang)[weakest.get("class", weakest.get("index"))],
                       f1=percent(weakest["f1"], lang)))
    history = card.get("history") or {}
    train, val = (history.get("accuracy") or [None])[-1], (history.get("val_accuracy") or [None])[-1]
    if isinstance(train, (int, float)) and isinstance(val, (int, float)):
        gap = 100 * (train - val)
        found.append(t("export.md.overfit" if gap > 2 else "export.md.no_overfit", lang,
                       train=percent(train, lang), val=percent(val, lang)))
    found.append(t("export.md.photo_gap", lang))
    if not recipe.augmentations:
        found.append(t("export.md.try_augment", lang))
    found.append(t("export.md.try_more", lang))
    return [f"- {line}" for line in found]


def informe(recipe: Recipe, lang: str) -> list:
    card = recipe.card
    metrics = card.get("real_photo_metrics") or {}
    figures = [f"- {t('export.md.fig_test', lang)}: **{percent(recipe.studio_accuracy, lang)}**"]
    if isinstance(metrics.get("micro"), (int, float)):
        figures.append(f"- {t('export.md.fig_photos', lang, photos=metrics.get('photos', '?'))}: "
                       f"**{percent(metrics['micro'], lang)}** (macro {percent(metrics.get('macro'), lang)})")
    if isinstance(card.get("fit_seconds"), (int, float)):
        figures.append(f"- {t('export.md.fig_time', lang, seconds=round(card['fit_seconds']), epochs=card.get('epochs_completed', '?'), machine=card.get('machine', '?'))}")
    decisions = [f"- {t('export.md.dec_arch', lang, architecture=card.get('architecture', '?'), params=card.get('params', '?'))}",
                 f"- {t('export.md.dec_training', lang, optimizer=recipe.optimizer, learning_rate=recipe.learning_rate, schedule=recipe.lr_schedule, batch=recipe.batch_size, epochs=recipe.epochs)}",
                 f"- {t('export.md.dec_augment', lang, names=', '.join(recipe.augmentations) or '—')}",
                 f"- {t('export.md.dec_smoothing', lang, smoothing=recipe.label_smoothing, split=recipe.validation_split)}"]
    if isinstance(card.get("command"), str):
        decisions.append(f"- {t('export.md.dec_command', lang)}: `{card['command'][:400]}`")
    table, recall = _per_class_rows(recipe, lang)
    text = [t("export.md.informe", lang), "", f"### {t('export.md.studio_figures', lang)}", "", *figures, "",
            *table, "", f"### {t('export.md.decisions', lang)}", "", *decisions, "",
            f"### {t('export.md.limitations', lang)}", "", *_findings(recipe, lang)]
    beside = BESIDE.format(accuracy=recipe.studio_accuracy, recall=[None if r is None else round(r, 4) for r in recall],
                           studio=quoted("export.code.studio", lang), notebook=quoted("export.code.notebook", lang),
                           test_accuracy=quoted("export.code.test_accuracy_short", lang))
    return [markdown("\n".join(text)), markdown(t("export.md.beside", lang)), code(beside),
            markdown(t("export.md.reflections", lang))]
