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
    "train.preset.quick.help": ("A small, fast CNN with batch normalisation, a high learning rate that decays along "
                                "a cosine, three epochs: about a minute on 2 CPU cores, at or above the seed "
                                "recipe's accuracy (about 91 %).",
                                "Una CNN pequeña y rápida con normalización por lotes, una tasa de aprendizaje alta "
                                "que decae como un coseno y tres épocas: alrededor de un minuto con 2 núcleos de CPU, "
                                "con la precisión de la receta del seed o más (alrededor del 91 %)."),
    "train.preset.seed": ("Seed 000 recipe", "Receta del seed 000"),
    "train.preset.seed.help": ("The course's first notebook exactly: its CNN, Adam, batch 32, 10 epochs, all 60,000 "
                               "images, the test set as the validation curve. About 90.5-91 % after five or six "
                               "minutes on 2 CPU cores.",
                               "Exactamente el primer cuaderno del curso: su CNN, Adam, lotes de 32, 10 épocas, las "
                               "60.000 imágenes y el conjunto de prueba como curva de validación. Alrededor del "
                               "90,5-91 % tras cinco o seis minutos con 2 núcleos de CPU."),
    "train.preset.overfit": ("Overfitting demo", "Demo de sobreajuste"),
    "train.preset.overfit.help": ("2,000 training images, no dropout, many epochs: training accuracy climbs towards "
                                  "100 % while validation accuracy stalls and its loss rises. The gap is overfitting.",
                                  "2.000 imágenes de entrenamiento, sin dropout, muchas épocas: la precisión de "
                                  "entrenamiento sube hacia el 100 % mientras la de validación se estanca y su pérdida "
                                  "crece. Esa brecha es el sobreajuste."),
    "train.preset.best": ("Best (long)", "La mejor (larga)"),
    "train.preset.best.help": ("The recipe of the shipped model: a residual network with augmentation and a cosine "
                               "schedule, 30 epochs. Expect an hour or more on 2 CPU cores.",
                               "La receta del modelo incluido: una red residual con aumento de datos y una tasa "
                               "coseno, 30 épocas. Cuenta con una hora o más con 2 núcleos de CPU."),

    # the model
    "train.model": ("Model", "Modelo"),
    "train.architecture": ("Architecture", "Arquitectura"),
    "train.arch.seed_cnn": ("Seed 000 CNN", "CNN del seed 000"),
    "train.arch.seed_cnn.help": ("Three 3x3 convolutions, two max-pools, Dense 64. Reported: 90.5 % after 10 epochs.",
                                 "Tres convoluciones 3x3, dos max-pooling, Dense 64. Resultado publicado: 90,5 % tras "
                                 "10 épocas."),
    "train.arch.seed_cnn_dropout": ("Seed 001 CNN with dropout", "CNN del seed 001 con dropout"),
    "train.arch.seed_cnn_dropout.help": ("Two 3x3 convolutions with pooling, Dropout 0.5 before the classifier. "
                                         "Reported: 90.73 % after 25 epochs.",
                                         "Dos convoluciones 3x3 con pooling, Dropout 0,5 antes del clasificador. "
                                         "Resultado publicado: 90,73 % tras 25 épocas."),
    "train.arch.strided_cnn": ("Seed 002 strided CNN", "CNN con stride del seed 002"),
    "train.arch.strided_cnn.help": ("2x2 kernels with stride 2, pooling with stride 1, Dense 256/128 with Dropout "
                                    "0.5. Reported: 90.59 % test, 98.5 % train after 50 epochs.",
                                    "Núcleos 2x2 con stride 2, pooling con stride 1, Dense 256/128 con Dropout 0,5. "
                                    "Resultado publicado: 90,59 % en prueba y 98,5 % en entrenamiento tras 50 épocas."),
    "train.arch.resnet": ("ResNet (seed 003)", "ResNet (seed 003)"),
    "train.arch.resnet.help": ("Residual blocks with batch normalisation, 28→14→7 stages, global average pooling. "
                               "The most accurate and the slowest.",
                               "Bloques residuales con normalización por lotes, etapas 28→14→7 y pooling promedio "
                               "global. La más precisa y la más lenta."),
    "train.arch.fast": ("Fast CNN", "CNN rápida"),
    "train.arch.fast.help": ("Built for live demos on 2 CPU cores: a seed-sized CNN with batch normalisation and a "
                             "wider classifier. About 91 % in about a minute (quick preset).",
                             "Pensada para demos en directo con 2 núcleos de CPU: una CNN del tamaño de la del seed "
                             "con normalización por lotes y un clasificador más ancho. Alrededor del 91 % en un "
                             "minuto (preajuste rápido)."),
    "train.arch.custom": ("Build your own", "Diseña la tuya"),
    "train.arch.custom.help": ("Each block is convolution, optional batch normalisation, ReLU and pooling; the "
                               "filters double at every block. Then dropout, a dense layer and the 10 outputs.",
                               "Cada bloque es convolución, normalización por lotes opcional, ReLU y pooling; los "
                               "filtros se duplican en cada bloque. Después dropout, una capa densa y las 10 salidas."),
    "train.conv_blocks": ("Convolution blocks", "Bloques convolucionales"),
    "train.conv_blocks_help": ("Each pooled block halves the image: 28 → 14 → 7 → 3 → 1.",
                               "Cada bloque con pooling reduce la imagen a la mitad: 28 → 14 → 7 → 3 → 1."),
    "train.filters": ("Filters in the first block", "Filtros del primer bloque"),
    "train.filters_help": ("Later blocks double it.", "Los bloques siguientes lo duplican."),
    "train.kernel": ("Kernel size", "Tamaño del núcleo"),
    "train.pooling": ("Pooling", "Pooling"),
    "train.pool.max": ("Max pooling", "Max pooling"),
    "train.pool.average": ("Average pooling", "Pooling promedio"),
    "train.pool.none": ("None", "Ninguno"),
    "train.dropout": ("Dropout before the classifier", "Dropout antes del clasificador"),
    "train.dense": ("Dense units", "Unidades densas"),
    "train.dense_help": ("0 = straight from the features to the 10 outputs.",
                         "0 = directamente de las características a las 10 salidas."),
    "train.batch_norm": ("Batch normalisation", "Normalización por lotes"),
    "train.summary": ("Model summary (before training)", "Resumen del modelo (antes de entrenar)"),
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
    "train.sched.cosine": ("Cosine decay", "Decaimiento coseno"),
    "train.sched.onecycle": ("One cycle (up, then down)", "Ciclo único (sube y baja)"),
    "train.optimizer": ("Optimizer", "Optimizador"),
    "train.opt.adam": ("Adam", "Adam"),
    "train.opt.adamw": ("AdamW (weight decay)", "AdamW (decaimiento de pesos)"),
    "train.opt.sgd": ("SGD with momentum", "SGD con momento"),
    "train.opt.rmsprop": ("RMSprop", "RMSprop"),
    "train.subset": ("Training images", "Imágenes de entrenamiento"),
    "train.subset_help": ("0 = all 60,000. Fewer images train faster and overfit sooner.",
                          "0 = las 60.000. Con menos imágenes se entrena antes y se sobreajusta antes."),
    "train.val_split": ("Validation share", "Parte para validación"),
    "train.val_split_help": ("Held out from the training images to draw the validation curve. 0 = use the test set "
                             "for the curve instead.",
                             "Se aparta de las imágenes de entrenamiento para dibujar la curva de validación. "
                             "0 = usar el conjunto de prueba para la curva."),
    "train.augment": ("Data augmentation", "Aumento de datos"),
    "train.augment_help": ("Random changes to each training image every epoch, so the network cannot memorise them.",
                           "Cambios aleatorios en cada imagen de entrenamiento en cada época, para que la red no "
                           "pueda memorizarlas."),
    "train.augmentations": ("Kinds of augmentation", "Tipos de aumento"),
    "train.aug.shift": ("Shift", "Desplazamiento"),
    "train.aug.flip": ("Mirror", "Espejo"),
    "train.aug.rotate": ("Rotation", "Rotación"),
    "train.aug.zoom": ("Zoom", "Zoom"),
    "train.aug.erase": ("Random erasing", "Borrado aleatorio"),
    "train.aug.contrast": ("Contrast", "Contraste"),
    "train.aug.blur": ("Blur", "Desenfoque"),
    "train.advanced": ("Advanced", "Avanzado"),
    "train.weight_decay": ("Weight decay", "Decaimiento de pesos"),
    "train.label_smoothing": ("Label smoothing", "Suavizado de etiquetas"),
    "train.seed": ("Random seed", "Semilla aleatoria"),
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
    "train.err.subset_small": ("Use 0 (all images) or at least 100 training images.",
                               "Usa 0 (todas las imágenes) o al menos 100 imágenes de entrenamiento."),
    "train.err.batch_too_big": ("The batch size ({batch}) is larger than the {images} images left for training: "
                                "lower the batch size, use more images or a smaller validation share.",
                                "El tamaño de lote ({batch}) es mayor que las {images} imágenes que quedan para "
                                "entrenar: baja el tamaño de lote, usa más imágenes o una parte de validación menor."),
    "train.err.too_big": ("Without pooling this network would have over 50 million weights: add pooling, or use "
                          "fewer filters, blocks or dense units.",
                          "Sin pooling esta red tendría más de 50 millones de pesos: añade pooling o usa menos "
                          "filtros, bloques o unidades densas."),
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
    "train.phase.saving": ("Saving the model and its card to the registry…",
                           "Guardando el modelo y su ficha en el registro…"),
    "train.eta": ("Time left", "Tiempo restante"),
    "train.elapsed": ("Elapsed", "Transcurrido"),
    "train.batch_loss": ("Loss (this epoch)", "Pérdida (esta época)"),
    "train.batch_accuracy": ("Accuracy (this epoch)", "Precisión (esta época)"),
    "train.val_accuracy": ("Validation accuracy", "Precisión de validación"),
    "train.stop": ("Stop", "Detener"),
    "train.stopping": ("Stopping after this batch. The completed epochs are kept, scored on the test set and saved…",
                       "Deteniendo tras este lote. Las épocas completas se conservan, se evalúan con el conjunto "
                       "de prueba y se guardan…"),
    "train.finished": ("Finished", "Terminado"),
    "train.done": ("Test accuracy {accuracy} after {epochs} epoch(s), trained in {seconds} s.",
                   "Precisión en prueba {accuracy} tras {epochs} época(s), entrenada en {seconds} s."),
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
    "train.chart.accuracy": ("Accuracy", "Precisión"),
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
    "train.col.run": ("Run", "Ejecución"),
    "train.col.architecture": ("Architecture", "Arquitectura"),
    "train.col.epoch": ("Epoch", "Época"),
    "train.col.epochs": ("Epochs", "Épocas"),
    "train.col.batch": ("Batch", "Lote"),
    "train.col.lr": ("Learning rate", "Tasa de aprendizaje"),
    "train.col.optimizer": ("Optimizer", "Optimizador"),
    "train.col.schedule": ("Schedule", "Evolución de la tasa"),
    "train.col.augmentation": ("Augmentation", "Aumento de datos"),
    "train.col.subset": ("Training images", "Imágenes de entrenamiento"),
    "train.col.val_split": ("Validation share", "Parte de validación"),
    "train.col.fit_seconds": ("Training time (s)", "Tiempo de entrenamiento (s)"),
    "train.col.test_accuracy": ("Test accuracy", "Precisión en prueba"),
    "train.no": ("no", "no"),
}
