"""Strings of the Evaluate page and of the downloadable report (fashion/report.py).

In Spanish accuracy is "exactitud" and the per-class
metric precision is "precisión", so the two never mix."""

STRINGS = {
    # --- Evaluate page -----------------------------------------------------------------
    "eval.intro": ("How good is the active model, and where does it go wrong? Every figure on this page comes "
                   "from the 10,000 test images, which the model never saw while training.",
                   "¿Qué tan bueno es el modelo activo y dónde se equivoca? Todas las cifras de esta página salen "
                   "de las 10.000 imágenes de prueba, que el modelo no vio al entrenar."),
    "eval.model_caption": ("Model: {name} · architecture {arch}", "Modelo: {name} · arquitectura {arch}"),
    "eval.computing": ("Reading the model's results on the 10,000 test images… (a model new to this server "
                       "classifies them all first, once, and TensorFlow starts for it)",
                       "Leyendo los resultados del modelo con las 10.000 imágenes de prueba… (un modelo nuevo para "
                       "este servidor las clasifica todas primero, una sola vez, y para ello arranca TensorFlow)"),
    "eval.report_button": ("Download report", "Descargar informe"),
    "eval.report_help": ("The short report the course asks for: results, design, curves, confusion matrix, "
                         "per-class metrics, overfitting and improvement suggestions, as one HTML file.",
                         "El informe breve que pide el curso: resultados, diseño, curvas, matriz de confusión, "
                         "métricas por clase, sobreajuste y propuestas de mejora, en un solo archivo HTML."),
    "eval.report_failed": ("The report could not be built: {error}", "No se pudo generar el informe: {error}"),
    "eval.curves": ("Training curves", "Curvas de entrenamiento"),
    "eval.story.epochs": ("{epochs} in {stages} stages", "{epochs} en {stages} etapas"),
    "eval.story.title": ("The whole training: {epochs} epochs in {stages} stages",
                         "El entrenamiento completo: {epochs} épocas en {stages} etapas"),
    "eval.story.x": ("Epoch (counted over every stage)", "Época (contando todas las etapas)"),
    "eval.story.test_at_end": ("Test accuracy at the end of each stage", "Exactitud en prueba al final de cada etapa"),
    "eval.story.stage": ("stage {n}", "etapa {n}"),
    "eval.story.stage_hover": ("Stage {n}: {what} · test {acc}", "Etapa {n}: {what} · prueba {acc}"),
    "eval.story.caption": (
        "This model was trained in stages, each starting from the previous one's weights (the numbers above the "
        "chart; the table below says what changed). The card kept the test accuracy where each stage ended and "
        "the epoch-by-epoch curves of the last stage, drawn where they happened. Training accuracy sits below "
        "validation accuracy on purpose: the training images are augmented (shifted, flipped, softened), the "
        "labels are smoothed and a share of each batch is real phone photos, all harder than the clean "
        "validation images.",
        "Este modelo se entrenó por etapas, cada una a partir de los pesos de la anterior (los números sobre el "
        "gráfico; la tabla de abajo dice qué cambió). La ficha guarda la exactitud en prueba al final de cada "
        "etapa y las curvas época a época de la última etapa, dibujadas donde ocurrieron. La exactitud de "
        "entrenamiento queda por debajo de la de validación a propósito: las imágenes de entrenamiento se "
        "aumentan (desplazadas, volteadas, suavizadas), las etiquetas se suavizan y parte de cada lote son fotos "
        "reales de móvil, todo más difícil que las imágenes limpias de validación."),
    "eval.story.stages": ("The {n} stages", "Las {n} etapas"),
    "eval.story.col.stage": ("Stage", "Etapa"),
    "eval.story.col.what": ("What changed", "Qué cambió"),
    "eval.story.col.epochs": ("Epochs", "Épocas"),
    "eval.story.col.accuracy": ("Test accuracy at its end", "Exactitud en prueba al terminar"),
    "eval.story.col.time": ("Training time", "Tiempo de entrenamiento"),
    "eval.curves_last_stage": ("Epoch by epoch, the last stage ({n} epochs)",
                               "Época a época, la última etapa ({n} épocas)"),
    "eval.no_history": ("This model's card has no training history, so there are no curves to show.",
                        "La ficha de este modelo no tiene historial de entrenamiento: no hay curvas que mostrar."),
    "eval.gap_overfit": ("Last epoch: training {train}, validation {val}, a gap of {gap} points: the model "
                         "is overfitting (it memorises the training images).",
                         "Última época: entrenamiento {train}, validación {val}, una diferencia de {gap} puntos: "
                         "el modelo se sobreajusta (memoriza las imágenes de entrenamiento)."),
    "eval.gap_ok": ("Last epoch: training {train}, validation {val}, a gap of {gap} points: no sign of overfitting.",
                    "Última época: entrenamiento {train}, validación {val}, una diferencia de {gap} puntos: "
                    "sin señales de sobreajuste."),
    "eval.validation_is_test": ("This model was trained without a validation split: its validation curve is "
                                "measured on the test set.",
                                "Este modelo se entrenó sin conjunto de validación: su curva de validación se "
                                "mide sobre el conjunto de prueba."),
    "eval.confusion": ("Confusion matrix", "Matriz de confusión"),
    "eval.confusion_help": ("Rows are the true class, columns the prediction; the diagonal holds the correct "
                            "answers. Click any cell to see its test images below.",
                            "Las filas son la clase real y las columnas la predicción; la diagonal son los "
                            "aciertos. Haz clic en una celda para ver sus imágenes de prueba debajo."),
    "eval.show": ("Show", "Mostrar"),
    "eval.counts": ("Counts", "Recuentos"),
    "eval.normalized": ("Share of each true class (row-normalised)", "Proporción de cada clase real (por filas)"),
    "eval.hover_cell": ("True: {true}<br>Predicted: {pred}<br>Images: {count} ({share} of the row)",
                        "Real: {true}<br>Predicha: {pred}<br>Imágenes: {count} ({share} de la fila)"),
    "eval.pick_true": ("True class", "Clase real"),
    "eval.pick_pred": ("Predicted class", "Clase predicha"),
    "eval.cell_title": ("{true} predicted as {pred}: {count} test images",
                        "{true} predicho como {pred}: {count} imágenes de prueba"),
    "eval.cell_correct": ("{name} predicted correctly: {count} test images",
                          "{name} predicho correctamente: {count} imágenes de prueba"),
    "eval.cell_showing": ("The {shown} most confident are shown; under each, the probability of the prediction "
                          "(and of the true class).",
                          "Se muestran las {shown} más seguras; debajo, la probabilidad de la predicción "
                          "(y la de la clase real)."),
    "eval.cell_empty": ("No test image of {true} was predicted as {pred}.",
                        "Ninguna imagen de prueba de {true} se predijo como {pred}."),
    "eval.per_class": ("Per-class precision, recall and F1", "Precisión, exhaustividad (recall) y F1 por clase"),
    "eval.per_class_help": ("Precision: of the images predicted as a class, the share that really are. Recall: of "
                            "the images of a class, the share the model finds. F1 combines both.",
                            "Precisión: de las imágenes predichas como una clase, cuántas lo son de verdad. "
                            "Exhaustividad (recall): de las imágenes de una clase, cuántas encuentra el modelo. "
                            "F1 combina ambas. En el curso, la exactitud (accuracy) es la proporción global de aciertos."),
    "eval.per_class_axis": ("Score (0-100 %)", "Valor (0-100 %)"),
    "eval.early_val_low": ("Why does validation accuracy start at {first}? Early on, at a high learning rate, the "
                           "weights move faster than the batch-normalisation statistics used for validation can "
                           "follow; once the learning rate falls they catch up, and validation ends at {last}.",
                           "¿Por qué la exactitud de validación empieza en {first}? Al principio, con una tasa de "
                           "aprendizaje alta, los pesos cambian más deprisa de lo que las estadísticas de la "
                           "normalización por lotes usadas en validación pueden seguir; cuando la tasa baja, se "
                           "ponen al día y la validación termina en {last}."),
    "eval.weakest": ("Weakest class: {name} (F1 {f1}, recall {recall}).",
                     "Clase más débil: {name} (F1 {f1}, exhaustividad {recall})."),
    "eval.metric": ("Metric", "Métrica"),
    "eval.pairs": ("Most confused pairs", "Pares más confundidos"),
    "eval.share": ("Share of the true class", "Proporción de la clase real"),
    "eval.mistakes": ("Most confident mistakes", "Errores más seguros"),
    "eval.mistakes_help": ("Wrong answers given with the highest probability: often ambiguous images, sometimes "
                           "labelling errors in the dataset.",
                           "Respuestas erróneas dadas con la mayor probabilidad: a menudo imágenes ambiguas, a veces "
                           "errores de etiquetado del conjunto de datos."),
    "eval.mistake_caption": ("{pred} {p} (true: {true})", "{pred} {p} (real: {true})"),
    "eval.viewer": ("Prediction viewer", "Visor de predicciones"),
    "eval.viewer_help": ("As in course notebook 000: the image, and the model's probability for each class. Blue is the "
                         "true class; red, a wrong prediction.",
                         "Como en el cuaderno 000 del curso: la imagen y la probabilidad que da el modelo a cada clase. En azul "
                         "la clase real; en rojo, una predicción errónea."),
    "eval.index": ("Test image number", "Número de imagen de prueba"),
    "eval.random": ("Random test image", "Imagen de prueba al azar"),
    "eval.only_mistakes": ("Draw only among mistakes", "Sortear solo entre errores"),
    "eval.viewer_right": ("Predicted {pred} with {p}: correct.", "Predicho {pred} con {p}: correcto."),
    "eval.viewer_wrong": ("Predicted {pred} with {p}, but it is {true} ({q}).",
                          "Predicho {pred} con {p}, pero es {true} ({q})."),

    # --- the report -------------------------------------------------------------------------
    "report.file_prefix": ("report", "informe"),
    "report.title": ("Fashion-MNIST CNN report: {name}", "Informe de la CNN de Fashion-MNIST: {name}"),
    "report.generated": ("Generated {date} by Fashion-MNIST CNN Studio", "Generado el {date} con Fashion-MNIST CNN Studio"),
    "report.trained": ("model trained {date}", "modelo entrenado el {date}"),
    "report.results": ("Results", "Resultados"),
    "report.measure": ("Measure", "Medida"),
    "report.value": ("Value", "Valor"),
    "report.test_images": ("Test images", "Imágenes de prueba"),
    "report.mistakes_count": ("Mistakes", "Errores"),
    "report.seconds": ("{s} s", "{s} s"),
    "report.beats_seeds": ("Test accuracy {acc} beats the best course result ({bar}) by {points} points.",
                           "La exactitud en prueba, {acc}, supera el mejor resultado del curso ({bar}) en {points} puntos."),
    "report.within_seeds": ("Test accuracy {acc} is within the course results ({low} to {high}).",
                            "La exactitud en prueba, {acc}, está dentro de los resultados del curso ({low} a {high})."),
    "report.below_seeds": ("Test accuracy {acc} is below the course results (from {bar}).",
                           "La exactitud en prueba, {acc}, está por debajo de los resultados del curso (desde {bar})."),
    "report.design": ("Design decisions", "Decisiones de diseño"),
    "report.params_sentence": ("The network has {n} trainable and non-trainable parameters in total.",
                               "La red tiene {n} parámetros en total (entrenables y no entrenables)."),
    "report.layer": ("Layer", "Capa"),
    "report.layer_type": ("Type", "Tipo"),
    "report.output_shape": ("Output shape", "Forma de salida"),
    "report.hyperparameters": ("Hyperparameters", "Hiperparámetros"),
    "report.setting": ("Setting", "Ajuste"),
    "report.command": ("Command that reproduces this model:", "Orden que reproduce este modelo:"),
    "report.yes": ("yes", "sí"),
    "report.no": ("no", "no"),
    "report.hp.architecture": ("Architecture", "Arquitectura"),
    "report.hp.epochs": ("Epochs", "Épocas"),
    "report.hp.batch_size": ("Batch size", "Tamaño de lote"),
    "report.hp.learning_rate": ("Learning rate", "Tasa de aprendizaje"),
    "report.hp.lr_schedule": ("Learning-rate schedule", "Programa de la tasa de aprendizaje"),
    "report.hp.optimizer": ("Optimizer", "Optimizador"),
    "report.hp.weight_decay": ("Weight decay", "Decaimiento de pesos"),
    "report.hp.label_smoothing": ("Label smoothing", "Suavizado de etiquetas"),
    "report.hp.augment": ("Data augmentation", "Aumento de datos"),
    "report.hp.augmentations": ("Augmentations", "Transformaciones de aumento"),
    "report.hp.validation_split": ("Validation split", "Fracción de validación"),
    "report.hp.train_subset": ("Training subset (0 = all)", "Subconjunto de entrenamiento (0 = todo)"),
    "report.hp.seed": ("Random seed", "Semilla aleatoria"),
    "report.hp.tta_flip": ("Test-time flip averaging", "Promedio con imagen espejada al predecir"),
    "report.hp.arch_params": ("Architecture settings", "Ajustes de la arquitectura"),
    "report.curves": ("Training and validation curves", "Curvas de entrenamiento y validación"),
    "report.gap_overfit": ("At the last epoch training accuracy was {train} and validation accuracy {val}: a gap "
                           "of {gap} points, a sign of overfitting.",
                           "En la última época la exactitud de entrenamiento fue {train} y la de validación {val}: "
                           "una diferencia de {gap} puntos, señal de sobreajuste."),
    "report.gap_ok": ("At the last epoch training accuracy was {train} and validation accuracy {val}: a gap of "
                      "{gap} points, no sign of overfitting.",
                      "En la última época la exactitud de entrenamiento fue {train} y la de validación {val}: una "
                      "diferencia de {gap} puntos, sin señales de sobreajuste."),
    "report.best_epoch": ("Validation loss was lowest at epoch {epoch} of {epochs} ({loss}).",
                          "La pérdida de validación fue mínima en la época {epoch} de {epochs} ({loss})."),
    "report.validation_is_test": ("This model had no validation split: its validation curve is the test set, so "
                                  "the test figures are slightly optimistic if the curves guided choices.",
                                  "Este modelo no tuvo conjunto de validación: su curva de validación es el "
                                  "conjunto de prueba, así que las cifras de prueba son algo optimistas si las "
                                  "curvas guiaron decisiones."),
    "report.no_history": ("The model card has no training history.", "La ficha del modelo no tiene historial de entrenamiento."),
    "report.confusion": ("Confusion matrix (test set)", "Matriz de confusión (conjunto de prueba)"),
    "report.confusion_note": ("Rows: true class; columns: predicted class. Blue cells are correct answers; red "
                              "cells, mistakes, darker the larger their share of the row.",
                              "Filas: clase real; columnas: clase predicha. Las celdas azules son aciertos; las "
                              "rojas, errores, más oscuras cuanto mayor es su parte de la fila."),
    "report.per_class": ("Per-class metrics", "Métricas por clase"),
    "report.weakest": ("Weakest classes and what they are confused with", "Clases más débiles y con qué se confunden"),
    "report.weak_line": ("{name}: F1 {f1}, recall {recall}, precision {precision}.",
                         "{name}: F1 {f1}, exhaustividad {recall}, precisión {precision}."),
    "report.taken_for": ("Its images are taken for {pairs}.", "Sus imágenes se toman por {pairs}."),
    "report.pair": ("{name} ({count}, {share})", "{name} ({count}, {share})"),
    "report.mistaken_for_it": ("Predicted as it by mistake: {pairs}.", "Se predicen como ella por error: {pairs}."),
    "report.pair_count": ("{name} ({count})", "{name} ({count})"),
    "report.top_pairs": ("Most confused pairs", "Pares más confundidos"),
    "report.share_of_class": ("Share of the true class", "Proporción de la clase real"),
    "report.confident_mistakes": ("The most confident mistakes", "Los errores más seguros"),
    "report.confident_share": ("{share} of the mistakes were made with a probability of {conf} or more; the mean "
                               "confidence of a mistake is {mean}.",
                               "El {share} de los errores se cometió con una probabilidad de {conf} o más; la "
                               "confianza media de un error es {mean}."),
    "report.mistake_caption": ("{pred} {p} (true: {true})", "{pred} {p} (real: {true})"),
    "report.limitations": ("Limitations", "Limitaciones"),
    "report.limit_weak": ("{name} remains the hardest class (F1 {f1}): at 28x28 pixels in grey its details "
                          "(collars, buttons) are barely visible.",
                          "{name} sigue siendo la clase más difícil (F1 {f1}): a 28x28 píxeles en gris sus detalles "
                          "(cuellos, botones) apenas se ven."),
    "report.limit_domain": ("The model learned centred product photos on a plain background; real photos from a "
                            "phone or the internet must be cropped, centred and inverted the same way, and even "
                            "then accuracy on them is lower.",
                            "El modelo aprendió fotos de producto centradas sobre fondo liso; las fotos reales del "
                            "móvil o de internet deben recortarse, centrarse e invertirse igual, y aun así su "
                            "exactitud es menor."),
    "report.limit_test": ("The test set comes from the same source as the training set, so it measures "
                          "generalisation to new images of the same kind, not to new kinds of images.",
                          "El conjunto de prueba viene de la misma fuente que el de entrenamiento: mide la "
                          "generalización a imágenes nuevas del mismo tipo, no a tipos de imagen nuevos."),
    "report.improvements": ("Possible improvements (from these numbers)", "Posibles mejoras (según estas cifras)"),
    "report.fix_dropout": ("more Dropout before the classifier (course notebook 001)", "más apagado aleatorio (dropout) antes del clasificador (cuaderno 001 del curso)"),
    "report.fix_augment": ("data augmentation (shifts, flips), which this model did not use",
                           "aumento de datos (desplazamientos, volteos), que este modelo no usó"),
    "report.fix_weight_decay": ("weight decay (AdamW)", "decaimiento de pesos (AdamW)"),
    "report.s_overfit": ("Training accuracy {train} against validation {val}: a gap of {gap} points means the "
                         "network memorises training images. Regularise: {remedies}.",
                         "Exactitud de entrenamiento {train} frente a {val} en validación: una diferencia de {gap} "
                         "puntos indica que la red memoriza las imágenes de entrenamiento. Regulariza: {remedies}."),
    "report.s_early_stop": ("Validation loss was lowest at epoch {epoch} ({best}) and ended at {last} after "
                            "{epochs} epochs: stop around epoch {epoch} (early stopping on validation loss, "
                            "keeping the best weights).",
                            "La pérdida de validación fue mínima en la época {epoch} ({best}) y terminó en {last} "
                            "tras {epochs} épocas: detén el entrenamiento hacia la época {epoch} (parada temprana "
                            "sobre la pérdida de validación, conservando los mejores pesos)."),
    "report.s_more_epochs": ("Validation accuracy still rose by {gain} points in the last of {epochs} epochs: "
                             "train longer (for example {more} epochs) with a decaying learning rate.",
                             "La exactitud de validación aún subió {gain} puntos en la última de {epochs} épocas: "
                             "entrena más tiempo (por ejemplo {more} épocas) con una tasa de aprendizaje decreciente."),
    "report.s_underfit": ("Training accuracy is only {train} and validation keeps up with it: the network "
                          "underfits. Give it more capacity (more filters or blocks, the ResNet) or more epochs.",
                          "La exactitud de entrenamiento es solo {train} y la de validación la iguala: la red se "
                          "queda corta. Dale más capacidad (más filtros o bloques, la ResNet) o más épocas."),
    "report.augmented_note": ("(Training accuracy here is measured on augmented images, which are harder than the "
                              "originals, so part of this gap is the augmentation.)",
                              "(Aquí la exactitud de entrenamiento se mide sobre imágenes aumentadas, más difíciles que "
                              "las originales, así que parte de esta diferencia se debe al aumento de datos.)"),
    "report.s_weakest": ("{name} is the weakest class (recall {recall}, precision {precision}); {share} of its "
                         "images ({count}) are predicted {other}, and {back} {other} images are predicted {name}. "
                         "Spend capacity on fine detail: keep more resolution before pooling, add filters in the "
                         "first layers, and look at these pairs in the confusion matrix before collecting more data.",
                         "{name} es la clase más débil (exhaustividad {recall}, precisión {precision}); "
                         "el {share} de sus imágenes ({count}) se predice {other}, y {back} imágenes de {other} se "
                         "predicen {name}. Dedica capacidad al detalle fino: conserva más resolución antes del "
                         "pooling, añade filtros en las primeras capas y revisa estos pares en la matriz de "
                         "confusión antes de reunir más datos."),
    "report.s_confident_smoothing": ("{share} of the mistakes are made with {conf} confidence or more (mean "
                                     "{mean}): the model is over-confident. Train with label smoothing (0.1), "
                                     "which this model did not use.",
                                     "El {share} de los errores se comete con una confianza de {conf} o más (media "
                                     "{mean}): el modelo es demasiado seguro. Entrena con suavizado de etiquetas "
                                     "(0,1), que este modelo no usó."),
    "report.s_confident_temperature": ("{share} of the mistakes are made with {conf} confidence or more (mean "
                                       "{mean}) despite label smoothing: calibrate the probabilities "
                                       "(temperature scaling on a validation set) before trusting them.",
                                       "El {share} de los errores se comete con una confianza de {conf} o más "
                                       "(media {mean}) pese al suavizado de etiquetas: calibra las probabilidades "
                                       "(escalado de temperatura sobre un conjunto de validación) antes de fiarte."),
    "report.s_below_seeds": ("Test accuracy {acc} is below the course's {bar}: start from the preset "
                             "“Course notebook 000 recipe” (its CNN, 10 epochs) and change one thing at a time.",
                             "La exactitud en prueba, {acc}, no llega al {bar} del curso: parte del preajuste «Receta del cuaderno 000 del curso» "
                             "(la CNN del cuaderno 000 del curso, 10 épocas) y cambia una cosa cada vez."),
    "report.s_validation_is_test": ("Hold out 5-10 % of the training set for validation: this model used the "
                                    "test set as its validation curve.",
                                    "Reserva un 5-10 % del conjunto de entrenamiento para validación: este modelo "
                                    "usó el conjunto de prueba como curva de validación."),
    "report.s_subset": ("It was trained on only {n} images: use all 60,000.",
                        "Se entrenó con solo {n} imágenes: usa las 60.000."),
    "report.s_none": ("At {acc} with no overfitting or weak spot standing out, gains now come from ensembles of "
                      "several models or longer training with augmentation.",
                      "Con {acc} y sin sobreajuste ni puntos débiles destacados, las mejoras vendrán de combinar "
                      "varios modelos o de entrenar más tiempo con aumento de datos."),
    "report.footer": ("Fashion-MNIST CNN Studio · figures computed on the 10,000 Fashion-MNIST test images.",
                      "Fashion-MNIST CNN Studio · cifras calculadas sobre las 10.000 imágenes de prueba de Fashion-MNIST."),
    "report.arch.seed_cnn": ("the CNN of course notebook 000: three 3x3 convolutions (32, 64, 64 filters), two max-poolings, Dense 64 and Dense 10.",
                             "la CNN del cuaderno 000 del curso: tres convoluciones 3x3 (32, 64 y 64 filtros), dos max-pooling, Dense 64 y Dense 10."),
    "report.arch.seed_cnn_dropout": ("the CNN of course notebook 001: two 3x3 convolutions with pooling and Dropout 0.5 before the classifier.",
                                     "la CNN del cuaderno 001 del curso: dos convoluciones 3x3 con pooling y Dropout 0,5 antes del clasificador."),
    "report.arch.strided_cnn": ("the CNN of course notebook 002: 2x2 kernels with stride 2 and 'same' padding, pooling with stride 1, "
                                "Dense 256 and 128 each followed by Dropout 0.5.",
                                "la CNN del cuaderno 002 del curso: núcleos 2x2 con paso 2 y relleno 'same', pooling con paso 1, "
                                "Dense 256 y 128, cada una seguida de Dropout 0,5."),
    "report.arch.resnet": ("a residual network (course notebook 003): blocks of two 3x3 convolutions with batch normalisation "
                           "and a shortcut, stages at 28x28, 14x14 and 7x7, global average pooling.",
                           "una red residual (cuaderno 003 del curso): bloques de dos convoluciones 3x3 con normalización por lotes "
                           "y un atajo, etapas de 28x28, 14x14 y 7x7, pooling promedio global."),
    "report.arch.fast": ("a small CNN built for live training on 2 CPU cores: three convolution blocks with batch "
                         "normalisation and a small dense head.",
                         "una CNN pequeña pensada para entrenar en directo con 2 núcleos de CPU: tres bloques de "
                         "convolución con normalización por lotes y una cabeza densa pequeña."),
    "report.arch.custom": ("a CNN designed on the Train page (blocks, filters, kernel, pooling, dropout and dense units chosen by hand).",
                           "una CNN diseñada en la página Entrenar (bloques, filtros, núcleo, pooling, dropout y unidades densas elegidos a mano)."),
}
