"""Strings of the Train page: the form, the live view of a run, and Compare runs."""

STRINGS = {
    "train.title": ("Train a CNN", "Entrena una CNN"),
    "train.intro": ("Pick a preset or design your own network, press Start and watch it learn. Training runs on the "
                    "server in the background: you can visit other pages, or reload this tab, and come back to it.",
                    "Elige un preajuste o diseña tu propia red, pulsa Empezar y mírala aprender. El entrenamiento "
                    "se ejecuta en el servidor en segundo plano: puedes visitar otras páginas, o recargar esta "
                    "pestaña, y volver a él."),
    "train.tab_new": ("New run", "Nueva ejecución"),
    "train.tab_compare": ("Compare runs", "Comparar ejecuciones"),
    "train.busy_hint": ("A run is in progress above. You can prepare the next one here; it waits in the queue "
                        "if the server is busy.",
                        "Hay una ejecución en curso arriba. Puedes preparar la siguiente aquí; esperará en la cola "
                        "si el servidor está ocupado."),

    # presets
    "train.preset": ("Start from a preset", "Partir de un preajuste"),
    "train.preset.quick": ("Quick demo", "Demo rápida"),
    "train.aug_preview": ("See what the augmentation does", "Ver qué hace el aumento de datos"),
    "train.aug_preview_help": (
        "One training image (a {name}), as it is and four times under each augmentation chosen above: during "
        "training every image is changed like this, differently every epoch.",
        "Una imagen de entrenamiento (un/a {name}), tal cual y cuatro veces con cada aumento elegido arriba: "
        "durante el entrenamiento cada imagen cambia así, de forma distinta en cada época."),
    "train.aug_original": ("original", "original"),
    "train.aug_another": ("Another image", "Otra imagen"),
    "train.preset.quick.help": ("A small, fast CNN with batch normalisation, a high learning rate that decays along "
                                "a cosine, three epochs: about a minute on 2 CPU cores, at or above the accuracy "
                                "of course notebook 000's recipe (about 91 %).",
                                "Una CNN pequeña y rápida con normalización por lotes, una tasa de aprendizaje alta "
                                "que decae como un coseno y tres épocas: alrededor de un minuto con 2 núcleos de CPU, "
                                "con la exactitud de la receta del cuaderno del curso o más (alrededor del 91 %)."),
    "train.preset.seed": ("Course notebook 000 recipe", "Receta del cuaderno 000 del curso"),
    "train.preset.seed.help": ("The course's first notebook exactly: its CNN, Adam, batch 32, 10 epochs, all 60,000 "
                               "images, the test set as the validation curve. About 90.5-91 % after five or six "
                               "minutes on 2 CPU cores.",
                               "Exactamente el primer cuaderno del curso: su CNN, Adam, lotes de 32, 10 épocas, las "
                               "60.000 imágenes y el conjunto de prueba como curva de validación. Alrededor del "
                               "90,5-91 % tras cinco o seis minutos con 2 núcleos de CPU."),
    "train.preset.overfit": ("Overfitting demo", "Demo de sobreajuste"),
    "train.preset.overfit.help": ("2,000 training images, no dropout, many epochs: training accuracy climbs towards "
                                  "100 % while validation accuracy stalls and its loss rises. The gap is overfitting.",
                                  "2.000 imágenes de entrenamiento, sin apagado aleatorio (dropout), muchas épocas: la "
                                  "exactitud de entrenamiento sube hacia el 100 % mientras la de validación se estanca y su pérdida "
                                  "crece. Esa brecha es el sobreajuste."),
    "train.preset.best": ("Best (long)", "La mejor (larga)"),
    "train.preset.best.help": ("The recipe of the shipped model: a residual network with augmentation and a cosine "
                               "schedule, 30 epochs. Expect an hour or more on 2 CPU cores.",
                               "La receta del modelo incluido: una red residual con aumento de datos y una tasa "
                               "coseno, 30 épocas. Cuenta con una hora o más con 2 núcleos de CPU."),

    # the model
    "train.model": ("Model", "Modelo"),
    "train.architecture": ("Architecture", "Arquitectura"),
    "train.arch.seed_cnn": ("CNN of course notebook 000", "CNN del cuaderno 000 del curso"),
    "train.arch.seed_cnn.help": ("Three 3x3 convolutions, two max-pools, Dense 64. Reported: 90.5 % after 10 epochs.",
                                 "Tres convoluciones 3x3, dos reducciones por máximo (max pooling), una capa densa de 64 "
                                 "neuronas. Resultado publicado: 90,5 % tras 10 épocas."),
    "train.arch.seed_cnn_dropout": ("CNN of course notebook 001 with dropout", "CNN del cuaderno 001 del curso con apagado aleatorio"),
    "train.arch.seed_cnn_dropout.help": ("Two 3x3 convolutions with pooling, Dropout 0.5 before the classifier. "
                                         "Reported: 90.73 % after 25 epochs.",
                                         "Dos convoluciones 3x3 con reducción (pooling) y apagado aleatorio de la mitad de las "
                                         "neuronas (dropout 0,5) antes del clasificador. Resultado publicado: 90,73 % tras 25 épocas."),
    "train.arch.strided_cnn": ("Strided CNN of course notebook 002", "CNN con paso 2 del cuaderno 002 del curso"),
    "train.arch.strided_cnn.help": ("2x2 kernels with stride 2, pooling with stride 1, Dense 256/128 with Dropout "
                                    "0.5. Reported: 90.59 % test, 98.5 % train after 50 epochs.",
                                    "Núcleos 2x2 con paso (stride) 2, reducción con paso 1, capas densas de 256 y 128 neuronas "
                                    "con apagado aleatorio 0,5. Resultado publicado: 90,59 % en prueba y 98,5 % en "
                                    "entrenamiento tras 50 épocas."),
    "train.arch.resnet": ("Residual network, ResNet (course notebook 003)", "Red residual, ResNet (cuaderno 003 del curso)"),
    "train.arch.resnet.help": ("Residual blocks with batch normalisation, 28→14→7 stages, global average pooling. "
                               "The most accurate and the slowest.",
                               "Bloques residuales con normalización por lotes, etapas 28→14→7 y promedio global al "
                               "final. La más exacta y la más lenta."),
    "train.arch.fast": ("Fast CNN", "CNN rápida"),
    "train.arch.fast.help": ("Built for live demos on 2 CPU cores: a CNN the size of the course notebook's with batch normalisation and a "
                             "wider classifier. About 91 % in about a minute (quick preset).",
                             "Pensada para demos en directo con 2 núcleos de CPU: una CNN del tamaño de la del cuaderno "
                             "del curso con normalización por lotes y un clasificador más ancho. Alrededor del 91 % en un "
                             "minuto (preajuste rápido)."),
    "train.arch.custom": ("Build your own", "Diseña la tuya"),
    "train.arch.custom.help": ("Each block is convolution, optional batch normalisation, ReLU and pooling; the "
                               "filters double at every block. Then dropout, a dense layer and the 10 outputs.",
                               "Cada bloque es convolución, normalización por lotes opcional, activación ReLU y reducción "
                               "(pooling); los filtros se duplican en cada bloque. Después apagado aleatorio (dropout), "
                               "una capa densa y las 10 salidas."),
    "train.conv_blocks": ("Convolution blocks", "Bloques convolucionales"),
    "train.conv_blocks_help": ("Each pooled block halves the image: 28 → 14 → 7 → 3 → 1.",
                               "Cada bloque con pooling reduce la imagen a la mitad: 28 → 14 → 7 → 3 → 1."),
    "train.filters": ("Filters in the first block", "Filtros del primer bloque"),
    "train.filters_help": ("Later blocks double it.", "Los bloques siguientes lo duplican."),
    "train.kernel": ("Kernel size", "Tamaño del núcleo"),
    "train.pooling": ("Pooling", "Reducción (pooling)"),
    "train.pool.max": ("Max pooling", "Por máximo (max pooling)"),
    "train.pool.average": ("Average pooling", "Por promedio (average pooling)"),
    "train.pool.none": ("None", "Ninguno"),
    "train.dropout": ("Dropout before the classifier", "Apagado aleatorio (dropout) antes del clasificador"),
    "train.dense": ("Dense units", "Neuronas de la capa densa"),
    "train.dense_help": ("With no dense layer (the leftmost mark) the features go straight to the 10 outputs.",
                         "Sin capa densa (la marca de la izquierda) las características van directamente a las 10 salidas."),
    "train.batch_norm": ("Batch normalisation", "Normalización por lotes"),
    "train.summary": ("Model summary (before training)", "Resumen del modelo (antes de entrenar)"),
    "train.summary_loading": ("Building the model… The first time after the server starts, TensorFlow starts too "
                              "(up to half a minute).",
                              "Construyendo el modelo… La primera vez tras arrancar el servidor también arranca "
                              "TensorFlow (hasta medio minuto)."),
    "train.summary_unavailable": ("The summary appears once the settings above can build a network.",
                                  "El resumen aparece cuando los ajustes de arriba permiten construir una red."),
    "train.total_params": ("Parameters in total", "Parámetros en total"),
    "train.col.layer": ("Layer", "Capa"),
    "train.col.type": ("Type", "Tipo"),
    "train.col.shape": ("Output shape", "Forma de salida"),
    "train.col.params": ("Parameters", "Parámetros"),

    # hyperparameters
    "train.hyper": ("Hyperparameters", "Hiperparámetros"),
    "train.epochs": ("Epochs", "Épocas"),
    "train.batch": ("Batch size", "Tamaño de lote"),
    "train.lr": ("Learning rate", "Tasa de aprendizaje"),
    "train.schedule": ("Learning-rate schedule", "Evolución de la tasa"),
    "train.sched.constant": ("Constant", "Constante"),
    "train.sched.cosine": ("Cosine decay", "Descenso en forma de coseno"),
    "train.sched.onecycle": ("One cycle (up, then down)", "Ciclo único (sube y baja)"),
    "train.optimizer": ("Optimizer", "Optimizador"),
    "train.opt.adam": ("Adam (adaptive)", "Adam (adaptativo)"),
    "train.opt.adamw": ("AdamW (weight decay)", "AdamW (decaimiento de pesos)"),
    "train.opt.sgd": ("SGD with momentum", "Descenso de gradiente estocástico (SGD) con inercia"),
    "train.opt.rmsprop": ("RMSprop (root mean square)", "RMSprop (media cuadrática)"),
    "train.subset": ("Training images", "Imágenes de entrenamiento"),
    "train.subset_help": ("Leave it at 0 to use all 60,000 images. Fewer images train faster and overfit sooner.",
                          "Déjalo en 0 para usar las 60.000 imágenes. Con menos imágenes se entrena antes y se "
                          "sobreajusta antes."),
    "train.val_split": ("Validation share", "Parte para validación"),
    "train.val_split_help": ("Held out from the training images to draw the validation curve. At 0 the curve uses the "
                             "test set instead.",
                             "Se aparta de las imágenes de entrenamiento para dibujar la curva de validación. "
                             "Con 0, la curva usa el conjunto de prueba."),
    "train.augment": ("Data augmentation", "Aumento de datos"),
    "train.augment_help": ("Random changes to each training image every epoch, so the network cannot memorise them.",
                           "Cambios aleatorios en cada imagen de entrenamiento en cada época, para que la red no "
                           "pueda memorizarlas."),
    "train.augmentations": ("Kinds of augmentation", "Tipos de aumento"),
    "train.aug.shift": ("Shift", "Desplazamiento"),
    "train.aug.flip": ("Mirror", "Espejo"),
    "train.aug.rotate": ("Rotation", "Rotación"),
    "train.aug.zoom": ("Zoom", "Acercamiento (zoom)"),
    "train.aug.erase": ("Random erasing", "Borrado aleatorio"),
    "train.aug.contrast": ("Contrast", "Contraste"),
    "train.aug.blur": ("Blur", "Desenfoque"),
    "train.advanced": ("Advanced", "Avanzado"),
    "train.weight_decay": ("Weight decay", "Decaimiento de pesos"),
    "train.label_smoothing": ("Label smoothing", "Suavizado de etiquetas"),
    "train.seed": ("Random seed", "Semilla aleatoria"),
    "train.seed_help": ("The same number gives the same starting weights and the same shuffling, so a run can be repeated.",
                        "El mismo número da los mismos pesos iniciales y el mismo orden de las imágenes, así que la ejecución se puede repetir."),
    "train.run_name": ("Name for the saved model", "Nombre del modelo guardado"),
    "train.run_name_placeholder": ("leave empty for an automatic name", "déjalo vacío para un nombre automático"),
    "train.start": ("Start training", "Empezar a entrenar"),
    "train.server_status": ("This server trains {limit} run(s) at a time. Running now: {running}; waiting: {queued}.",
                            "Este servidor entrena {limit} ejecución(es) a la vez. En curso: {running}; "
                            "en espera: {queued}."),

    # refused settings
    "train.err.no_aug": ("Augmentation is on but no kind is chosen: choose at least one, or turn augmentation off.",
                         "El aumento de datos está activado pero no hay ningún tipo elegido: elige al menos uno o "
                         "desactívalo."),
    "train.err.other": ("These settings cannot run: {error}", "Estos ajustes no pueden ejecutarse: {error}"),
    "train.err.nan": ("Training failed: the loss became NaN (not a number). The learning rate is probably too high; "
                      "lower it and try again.",
                      "El entrenamiento falló: la pérdida se volvió NaN (no es un número). Probablemente la tasa de "
                      "aprendizaje es demasiado alta; bájala y vuelve a intentarlo."),
    "train.err.oom": ("Training failed: the server ran out of memory. Lower the batch size or use a smaller network.",
                      "El entrenamiento falló: el servidor se quedó sin memoria. Baja el tamaño de lote o usa una "
                      "red más pequeña."),
    "train.err.save": ("Training finished but the model could not be saved: {error}",
                       "El entrenamiento terminó pero el modelo no se pudo guardar: {error}"),
    "train.err.failed": ("Training failed: {error}", "El entrenamiento falló: {error}"),

    # the live run
    "train.job_gone": ("That training run is no longer on the server (it restarted, or the run is old). Finished "
                       "runs are saved: find them in the sidebar and under Compare runs.",
                       "Esa ejecución ya no está en el servidor (se reinició o es antigua). Las ejecuciones "
                       "terminadas se guardan: búscalas en la barra lateral y en Comparar ejecuciones."),
    "train.run_title": ("Run: {name}", "Ejecución: {name}"),
    "train.queued": ("Waiting in the queue: position {position}. This server trains {limit} run(s) at a time; yours "
                     "starts as soon as a place is free.",
                     "Esperando en la cola: posición {position}. Este servidor entrena {limit} ejecución(es) a la "
                     "vez; la tuya empieza en cuanto quede un hueco."),
    "train.waiting": ("Waiting for a free place…", "Esperando un hueco libre…"),
    "train.cancel": ("Leave the queue", "Salir de la cola"),
    "train.preparing": ("Preparing the data and building the model…", "Preparando los datos y construyendo el modelo…"),
    "train.progress": ("Epoch {epoch}/{epochs} · batch {batch}/{batches} · {percent} %",
                       "Época {epoch}/{epochs} · lote {batch}/{batches} · {percent} %"),
    "train.phase.testing": ("Training over: scoring the model on the 10,000 test images…",
                            "Entrenamiento terminado: evaluando el modelo con las 10.000 imágenes de prueba…"),
    "train.phase.saving": ("Saving the model, its card and its evaluation to the registry…",
                           "Guardando el modelo, su ficha y su evaluación en el registro…"),
    "train.eta": ("Time left", "Tiempo restante"),
    "train.elapsed": ("Elapsed", "Transcurrido"),
    "train.batch_loss": ("Loss (this epoch)", "Pérdida (esta época)"),
    "train.batch_accuracy": ("Accuracy (this epoch)", "Exactitud (esta época)"),
    "train.val_accuracy": ("Validation accuracy", "Exactitud de validación"),
    "train.stop": ("Stop", "Detener"),
    "train.stopping": ("Stopping after this batch. The completed epochs are kept, scored on the test set and saved…",
                       "Deteniendo tras este lote. Las épocas completas se conservan, se evalúan con el conjunto "
                       "de prueba y se guardan…"),
    "train.finished": ("Finished", "Terminado"),
    "train.done": ("Test accuracy {accuracy} after {epochs} epoch(s), trained in {duration}.",
                   "Exactitud en prueba {accuracy} tras {epochs} época(s), entrenada en {duration}."),
    "train.saved_as": ("Saved to the model registry as {name}.", "Guardado en el registro de modelos como {name}."),
    "train.make_active": ("Use this model in the app", "Usar este modelo en la aplicación"),
    "train.is_active": ("This is the active model: every page uses it now.",
                        "Este es el modelo activo: todas las páginas lo usan ahora."),
    "train.stopped": ("Stopped. The {epochs} completed epoch(s) were kept.",
                      "Detenido. Se conservaron las {epochs} épocas completas."),
    "train.stopped_empty": ("Stopped before the first epoch finished, so there is no model to keep.",
                            "Detenido antes de terminar la primera época, así que no hay modelo que guardar."),
    "train.cancelled": ("This run left the queue before it started.", "Esta ejecución salió de la cola antes de empezar."),
    "train.new_run": ("Close this run", "Cerrar esta ejecución"),
    "train.chart.accuracy": ("Accuracy", "Exactitud"),
    "train.chart.loss": ("Loss", "Pérdida"),
    "train.curve.train": ("training", "entrenamiento"),
    "train.curve.val": ("validation", "validación"),
    "train.curve.batch_loss": ("batch loss (smoothed)", "pérdida por lote (suavizada)"),

    # compare runs
    "train.compare_empty": ("No runs to compare yet: train a model and it appears here.",
                            "Aún no hay ejecuciones que comparar: entrena un modelo y aparecerá aquí."),
    "train.compare_pick": ("Runs to compare", "Ejecuciones a comparar"),
    "train.compare_none": ("Choose one or more runs.", "Elige una o más ejecuciones."),
    "train.compare_metric": ("Curve", "Curva"),
    "train.compare_legend": ("Solid lines: validation. Dashed lines: training. One colour per run.",
                             "Líneas continuas: validación. Discontinuas: entrenamiento. Un color por ejecución."),
    "train.col.run": ("Name", "Nombre"),
    "train.col.architecture": ("Architecture", "Arquitectura"),
    "train.col.epoch": ("Epoch", "Época"),
    "train.col.epochs": ("Epochs", "Épocas"),
    "train.col.batch": ("Batch size", "Tamaño de lote"),
    "train.col.lr": ("Learning rate", "Tasa de aprendizaje"),
    "train.col.optimizer": ("Optimizer", "Optimizador"),
    "train.col.schedule": ("Schedule", "Evolución de la tasa"),
    "train.col.augmentation": ("Augmentation", "Aumento de datos"),
    "train.col.subset": ("Training images", "Imágenes de entrenamiento"),
    "train.col.val_split": ("Validation share", "Parte de validación"),
    "train.col.fit_time": ("Training time", "Tiempo de entrenamiento"),
    "train.col.test_accuracy": ("Test accuracy", "Exactitud en prueba"),
    "train.no": ("no", "no"),
    "train.yes": ("yes", "sí"),
    "train.col.number": ("Run", "Ejecución"),
    "train.col.date": ("Trained (UTC)", "Entrenada (UTC)"),
    "train.col.blocks": ("Convolution blocks", "Bloques convolucionales"),
    "train.col.filters": ("Filters (first block)", "Filtros (primer bloque)"),
    "train.col.kernel": ("Kernel size", "Tamaño del núcleo"),
    "train.col.pooling": ("Pooling", "Reducción (pooling)"),
    "train.col.dropout": ("Dropout", "Apagado aleatorio (dropout)"),
    "train.col.dense": ("Dense units", "Neuronas densas"),
    "train.col.batch_norm": ("Batch normalisation", "Normalización por lotes"),
    "train.col.weight_decay": ("Weight decay", "Decaimiento de pesos"),
    "train.col.label_smoothing": ("Label smoothing", "Suavizado de etiquetas"),
    "train.col.seed": ("Random seed", "Semilla aleatoria"),

    # the first screen of a live demo
    "train.preset.custom": ("Your own settings", "Tus propios ajustes"),
    "train.preset.custom.help": ("The settings below are yours: open them to change the network or the "
                                 "hyperparameters, or pick a preset to start again from it.",
                                 "Los ajustes de abajo son tuyos: ábrelos para cambiar la red o los "
                                 "hiperparámetros, o elige un preajuste para volver a partir de él."),
    "train.settings": ("Network and hyperparameters", "Red e hiperparámetros"),
    "train.line.epochs": ("{n} epochs", "{n} épocas"),
    "train.line.batch": ("batches of {n}", "lotes de {n}"),
    "train.line.lr": ("learning rate {lr}", "tasa de aprendizaje {lr}"),
    "train.line.images": ("{n} training images", "{n} imágenes de entrenamiento"),
    "train.clash.model": ("A saved model is already named {name} (test accuracy: {accuracy}). Replace it with "
                          "this run, keep both, or choose another name.",
                          "Ya hay un modelo guardado con el nombre {name} (exactitud en prueba: {accuracy}). "
                          "Sustitúyelo por esta ejecución, conserva los dos o elige otro nombre."),
    "train.clash.run": ("A run named {name} is training or waiting right now, and its model will be saved under "
                        "that name. Keep both, or choose another name.",
                        "Una ejecución llamada {name} está entrenando o esperando ahora mismo, y su modelo se "
                        "guardará con ese nombre. Conserva los dos o elige otro nombre."),
    "train.clash.shipped": ("{name} is the name of the model that comes with the app. Keep both, or choose another "
                            "name.",
                            "{name} es el nombre del modelo que viene con la aplicación. Conserva los dos o elige "
                            "otro nombre."),
    "train.clash_keep_both": ("Keep both: save this one as {name}", "Conservar los dos: guardar este como {name}"),
    "train.clash_edit": ("Choose another name", "Elegir otro nombre"),
    "train.clash_edit_hint": ("Type another name in the “{label}” box.", "Escribe otro nombre en la casilla «{label}»."),
    "train.clash_overwrite": ("Replace {name}", "Sustituir {name}"),
    "train.err.replace_not_yours": ("Only the teacher or the browser that trained {name} may replace it.",
                                    "Solo el profesor o el navegador con el que se entrenó {name} pueden "
                                    "sustituirlo."),
    "train.err.replace_shipped": ("{name} comes with the app and cannot be replaced.",
                                  "{name} viene con la aplicación y no se puede sustituir."),
    "train.err.replace_run": ("A run named {name} is still training or waiting: its model cannot be replaced "
                              "before it exists.",
                              "Una ejecución llamada {name} sigue entrenando o esperando: su modelo no se puede "
                              "sustituir antes de que exista."),
    "train.phase.preparing": ("Preparing the data and building the model…",
                              "Preparando los datos y construyendo el modelo…"),
    "train.phase.validating": ("Epoch {epoch}/{epochs}: scoring the validation images… {percent} %",
                               "Época {epoch}/{epochs}: evaluando las imágenes de validación… {percent} %"),
    "train.phase.recalibrating": ("Training over: recalibrating the batch-normalisation statistics…",
                                  "Entrenamiento terminado: recalibrando las estadísticas de la normalización por lotes…"),
    "train.curve.batch_accuracy": ("running accuracy (this epoch)", "exactitud acumulada (esta época)"),
    "train.chart.loss_log": ("Loss (log scale)", "Pérdida (escala logarítmica)"),
}
