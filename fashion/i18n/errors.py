"""Strings of the core's keyed errors (fashion/errors.py): settings, training, model files,
model cards and the registry. Pages and the command line show them as they are."""

STRINGS = {
    # --- settings that cannot run (TrainConfig.problems, models.custom_problems)
    "config.err.invalid": ("These settings cannot run.", "Estos ajustes no pueden ejecutarse."),
    "config.err.type_int": ("{name} must be a whole number.", "{name} debe ser un número entero."),
    "config.err.type_number": ("{name} must be a number.", "{name} debe ser un número."),
    "config.err.type_text": ("{name} must be a text.", "{name} debe ser un texto."),
    "config.err.type_bool": ("{name} must be true or false.", "{name} debe ser verdadero o falso."),
    "config.err.type_object": ("{name} must be a JSON object such as {{\"filters\": 32}}.",
                               "{name} debe ser un objeto JSON como {{\"filters\": 32}}."),
    "config.err.type_list": ("{name} must be a list of names.", "{name} debe ser una lista de nombres."),
    "config.err.type_int_list": ("{name} must be a list of 1 to 4 whole numbers between 8 and 512.",
                                 "{name} debe ser una lista de 1 a 4 números enteros entre 8 y 512."),
    "config.err.architecture": ("Unknown architecture {name!r}; choose one of {choices}.",
                                "Arquitectura desconocida {name!r}; elige una de {choices}."),
    "config.err.range": ("{name} must be between {low} and {high}.", "{name} debe estar entre {low} y {high}."),
    "config.err.learning_rate": ("The learning rate must be above 0 and at most 1.",
                                 "La tasa de aprendizaje debe ser mayor que 0 y como mucho 1."),
    "config.err.choice": ("{name} must be one of {choices}.", "{name} debe ser uno de {choices}."),
    "config.err.validation_split": ("The validation share must be at least 0 and below 0.5.",
                                    "La parte de validación debe ser al menos 0 y menor que 0,5."),
    "config.err.train_subset": ("Use 0 (all images) or at least 100 training images.",
                                "Usa 0 (todas las imágenes) o al menos 100 imágenes de entrenamiento."),
    "config.err.label_smoothing": ("Label smoothing must be at least 0 and below 0.5.",
                                   "El suavizado de etiquetas debe ser al menos 0 y menor que 0,5."),
    "config.err.weight_decay": ("Weight decay cannot be negative.", "El decaimiento de pesos no puede ser negativo."),
    "config.err.warmup": ("The warm-up must be at least 0 and shorter than the run ({epochs} epochs).",
                          "El calentamiento debe ser al menos 0 y más corto que la ejecución ({epochs} épocas)."),
    "config.err.augmentations": ("Unknown augmentation(s) {names}; choose from {choices}.",
                                 "Aumento(s) de datos desconocido(s) {names}; elige entre {choices}."),
    "config.err.batch_too_big": ("The batch size ({batch}) is larger than the {images} images left for training: "
                                 "lower the batch size, use more images or a smaller validation share.",
                                 "El tamaño de lote ({batch}) es mayor que las {images} imágenes que quedan para "
                                 "entrenar: baja el tamaño de lote, usa más imágenes o una parte de validación menor."),
    "config.err.arch_param": ("The architecture {arch} has no setting {name!r}; it has: {known}.",
                              "La arquitectura {arch} no tiene el ajuste {name!r}; tiene: {known}."),
    "config.err.pooling": ("pooling must be 'max', 'average' or 'none'.",
                           "pooling debe ser 'max', 'average' o 'none'."),
    "config.err.kernel_size": ("kernel_size must be one of {choices}.", "kernel_size debe ser uno de {choices}."),
    "config.err.dropout": ("dropout must be at least 0 and below 1.", "dropout debe ser al menos 0 y menor que 1."),
    "config.err.too_big": ("Without pooling this network would have over {limit} million weights: add pooling, or "
                           "use fewer filters, blocks or dense units.",
                           "Sin pooling esta red tendría más de {limit} millones de pesos: añade pooling o usa "
                           "menos filtros, bloques o unidades densas."),

    # --- training that cannot finish or should not be kept
    "train.err.no_epoch": ("Training stopped before the first epoch finished, so there is no model to keep.",
                           "El entrenamiento se detuvo antes de terminar la primera época, así que no hay modelo "
                           "que guardar."),
    "train.err.diverged": ("Training diverged: the test accuracy is {accuracy}, no better than guessing. The "
                           "model was not saved; lower the learning rate and try again.",
                           "El entrenamiento divergió: la exactitud de prueba es {accuracy}, no mejor que adivinar. "
                           "El modelo no se guardó; baja la tasa de aprendizaje y vuelve a intentarlo."),
    "train.err.checkpoint": ("The checkpoint in {folder} belongs to another network or is damaged; use another "
                             "--resume-dir or delete that folder.",
                             "El punto de control de {folder} es de otra red o está dañado; usa otro --resume-dir o "
                             "borra esa carpeta."),
    "train.err.unexpected": ("Training failed unexpectedly ({error}).", "El entrenamiento falló de forma inesperada ({error})."),

    # --- a write the disk (or the quota) has no room for (fashion/files.py: DiskFull)
    "disk.err.full": ("The disk is full: {file} could not be written in {folder} ({free} free). Free some space "
                      "(delete models or training runs you no longer need, or empty the trash) and try again.",
                      "El disco está lleno: no se pudo escribir {file} en {folder} (quedan {free} libres). Libera "
                      "espacio (borra modelos o entrenamientos que ya no necesites, o vacía la papelera) y vuelve "
                      "a intentarlo."),
    "disk.err.quota": ("Your disk quota is used up: {file} could not be written in {folder} ({free} free on the "
                       "disk). Delete files you no longer need (old models, training runs) or ask for a larger "
                       "quota, and try again.",
                       "Tu cuota de disco está agotada: no se pudo escribir {file} en {folder} (quedan {free} "
                       "libres en el disco). Borra archivos que ya no necesites (modelos viejos, entrenamientos) "
                       "o pide una cuota mayor, y vuelve a intentarlo."),
    "disk.warn.preferences": ("Your choice could not be remembered for next time: {error}",
                              "No se pudo recordar tu elección para la próxima vez: {error}"),
    "cli.err.output_exists": ("--output {output} already exists; give another file name, or add --force to replace it.",
                              "--output {output} ya existe; indica otro nombre de archivo, o añade --force para "
                              "reemplazarlo."),
    "cli.err.output_busy": ("--output {output}: another training is already saving to this file; give another "
                            "file name.",
                            "--output {output}: otro entrenamiento ya está guardando en este archivo; indica otro "
                            "nombre de archivo."),

    # --- model files (.keras)
    "model.error.missing": ("{name}: file not found.", "{name}: no se encontró el archivo."),
    "model.error.is_directory": ("{name} is a folder, not a .keras file.", "{name} es una carpeta, no un archivo .keras."),
    "model.error.no_permission": ("{name} cannot be read (no permission).", "{name} no se puede leer (sin permiso)."),
    "model.error.too_big": ("{name} is {mb} MB; models over {limit} MB are refused.",
                            "{name} ocupa {mb} MB; se rechazan los modelos de más de {limit} MB."),
    "model.error.not_zip": ("{name} is not a readable .keras file.", "{name} no es un archivo .keras legible."),
    "model.error.no_config": ("{name} is not a Keras model (no config.json inside).",
                              "{name} no es un modelo de Keras (no contiene config.json)."),
    "model.error.member_too_big": ("{name} was refused: its part {member} unpacks to more than {limit} MB.",
                                   "Se rechazó {name}: su parte {member} ocupa más de {limit} MB al descomprimirse."),
    "model.error.config_invalid": ("{name} was refused: its config.json is not a valid model description.",
                                   "Se rechazó {name}: su config.json no es una descripción de modelo válida."),
    "model.error.unloadable": ("{name} could not be loaded as a Keras model ({error}).",
                               "{name} no se pudo cargar como modelo de Keras ({error})."),

    # --- model cards (.json next to a model)
    "card.error.too_big": ("{file}: the model card is {kb} KB; cards over {limit} KB are ignored.",
                           "{file}: la ficha del modelo ocupa {kb} KB; se ignoran las fichas de más de {limit} KB."),
    "card.error.not_json": ("{file}: the model card is not valid JSON.", "{file}: la ficha del modelo no es JSON válido."),
    "card.error.too_deep": ("{file}: the model card is nested more than {limit} levels deep.",
                            "{file}: la ficha del modelo tiene más de {limit} niveles de anidamiento."),
    "card.error.not_card": ("{file}: not a Fashion Studio model card.", "{file}: no es una ficha de modelo de Fashion Studio."),
    "card.error.field": ("{file}: the field {field!r} of the model card has the wrong type or value.",
                         "{file}: el campo {field!r} de la ficha del modelo tiene un tipo o valor incorrecto."),
    "card.error.unreadable": ("{file}: the model card cannot be read ({error}).",
                              "{file}: la ficha del modelo no se puede leer ({error})."),
    "card.problem.listed": ("{problem} The model is listed; its accuracy is measured on the test set, not read "
                            "from the card.",
                            "{problem} El modelo aparece en la lista; su exactitud se mide con el conjunto de "
                            "prueba, no se lee de la ficha."),
    "registry.problem.skipped": ("{problem} The file was skipped.", "{problem} Se omitió el archivo."),

    # --- replaying a model's lineage (fashion/lineage.py, python -m fashion reproduce) ---------------
    "lineage.err.none": ("{file}: the model card records no lineage (its training stages and their commands), "
                         "so there is nothing to replay.",
                         "{file}: la ficha del modelo no registra ningún linaje (sus etapas de entrenamiento y "
                         "sus comandos), así que no hay nada que reproducir."),
    "lineage.err.stage": ("{file}: stage {stage} of the lineage has no command; each stage must be an object "
                          "with a command such as python -m fashion train ...",
                          "{file}: la etapa {stage} del linaje no tiene comando; cada etapa debe ser un objeto "
                          "con un comando como python -m fashion train ..."),
    "lineage.err.not_train": ("{file}: stage {stage} is not a training command (python -m fashion train ...), "
                              "so it is not replayed: {command}",
                              "{file}: la etapa {stage} no es un comando de entrenamiento (python -m fashion "
                              "train ...), así que no se reproduce: {command}"),
    "lineage.err.bad_args": ("{file}: the command of stage {stage} cannot be replayed: {error}",
                             "{file}: el comando de la etapa {stage} no se puede reproducir: {error}"),
    "lineage.err.not_chained": ("{file}: stage {stage} does not start from the stage before it (its command has "
                                "no --init-from), so the lineage cannot be replayed as one chain.",
                                "{file}: la etapa {stage} no parte de la etapa anterior (su comando no tiene "
                                "--init-from), así que el linaje no se puede reproducir como una cadena."),
    "lineage.err.stage_failed": ("Stage {stage} failed (exit status {code}). The stages before it are kept, and "
                                 "so are its own complete epochs, if any, in {folder}: the same command continues "
                                 "from there.",
                                 "La etapa {stage} falló (estado de salida {code}). Las etapas anteriores se "
                                 "conservan, y también sus propias épocas completas, si las hay, en {folder}: el "
                                 "mismo comando continúa desde ahí."),
    "lineage.err.stage_incomplete": ("Stage {stage} stopped before its last epoch. Its checkpoint in {folder} is "
                                     "kept: the same command continues it.",
                                     "La etapa {stage} se detuvo antes de su última época. Su punto de control en "
                                     "{folder} se conserva: el mismo comando la continúa."),
    "lineage.err.stopped": ("Stopped before stage {stage}; the stages before it are kept: the same command "
                            "continues with stage {stage}.",
                            "Detenido antes de la etapa {stage}; las etapas anteriores se conservan: el mismo "
                            "comando continúa con la etapa {stage}."),

    # --- Fashion-MNIST files (fashion/data.py); DatasetError adds data.how_to_get to each
    "data.err.damaged": ("{path} is damaged or truncated ({error}). Delete it and get a fresh copy.",
                         "{path} está dañado o cortado ({error}). Bórralo y consigue una copia nueva."),
    "data.err.too_short": ("{path} is too short to be an idx file. Delete it and get a fresh copy.",
                           "{path} es demasiado corto para ser un archivo idx. Bórralo y consigue una copia nueva."),
    "data.err.magic": ("{path} is not a Fashion-MNIST idx file (magic number {found}, expected {expected}).",
                       "{path} no es un archivo idx de Fashion-MNIST (número mágico {found}, se esperaba {expected})."),
    "data.err.count": ("{path} holds {found} items, expected {expected}. Get a fresh copy.",
                       "{path} contiene {found} elementos, se esperaban {expected}. Consigue una copia nueva."),
    "data.err.size": ("{path} is {found} bytes once unpacked, expected {expected}: it is truncated or damaged.",
                      "{path} ocupa {found} bytes al descomprimirse, se esperaban {expected}: está cortado o dañado."),
    "data.err.labels": ("{path} has labels outside 0-9: it is not Fashion-MNIST.",
                        "{path} tiene etiquetas fuera de 0-9: no es Fashion-MNIST."),
    "data.err.no_folder": ("Fashion-MNIST folder {folder} does not exist.",
                           "La carpeta de Fashion-MNIST {folder} no existe."),
    "data.err.missing": ("{path} is missing.", "Falta {path}."),
    "data.err.download": ("Fashion-MNIST was not found locally and could not be downloaded ({error}).",
                          "Fashion-MNIST no se encontró en este equipo y no se pudo descargar ({error})."),
    "data.how_to_get": ("Install it with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), "
                        "or put the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz in a folder and set "
                        "FASHION_MNIST_DIR to it, or connect to the internet once so Keras can download them.",
                        "Instálalo con `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), "
                        "o pon los cuatro archivos train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                        "t10k-images-idx3-ubyte.gz y t10k-labels-idx1-ubyte.gz en una carpeta y define "
                        "FASHION_MNIST_DIR con ella, o conéctate a internet una vez para que Keras los descargue."),

    # --- inference on a model (fashion/model/classifier.py, fashion/model/network.py)
    "classifier.err.one_image": ("expected one 28x28 image, got an array of shape {shape}.",
                                 "se esperaba una imagen de 28x28, llegó una matriz de forma {shape}."),
    "classifier.err.batch": ("expected a batch of 28x28 images (N, 28, 28), got shape {shape}.",
                             "se esperaba un lote de imágenes de 28x28 (N, 28, 28), llegó la forma {shape}."),
    "classifier.err.values": ("image values must lie in [0, 1] (floats) or 0-255 (uint8).",
                              "los valores de la imagen deben estar en [0, 1] (decimales) o en 0-255 (uint8)."),
    "classifier.err.no_input": ("model {name!r} has no defined input; build it with keras.Input((28, 28, 1)).",
                                "el modelo {name!r} no tiene una entrada definida; constrúyelo con "
                                "keras.Input((28, 28, 1))."),
    "classifier.err.no_layer": ("the network has no layer named {name!r}.", "la red no tiene ninguna capa llamada {name!r}."),
    "classifier.err.outputs": ("the model gives {shape} outputs per image, not 10 class probabilities",
                               "el modelo da {shape} salidas por imagen, no 10 probabilidades de clase"),

    # --- looking inside a network (fashion/judging/explain.py)
    "explain.err.no_layer": ("the network has no layer named {name!r}; choose one of {choices}.",
                             "la red no tiene ninguna capa llamada {name!r}; elige una de {choices}."),
    "explain.err.not_spatial_maps": ("layer {name!r} has no (H, W, C) output to show as feature maps.",
                                     "la capa {name!r} no tiene una salida (H, W, C) que mostrar como mapas de "
                                     "activación."),
    "explain.err.no_conv": ("model {name!r} has no convolutional layer, so Grad-CAM does not apply.",
                            "el modelo {name!r} no tiene ninguna capa convolucional, así que Grad-CAM no se aplica."),
    "explain.err.cam_method": ("method must be 'element' or 'classic'.", "el método debe ser 'element' o 'classic'."),
    "explain.err.class_index": ("class_index must be between 0 and {high}, got {got}.",
                                "class_index debe estar entre 0 y {high}; llegó {got}."),
    "explain.err.not_spatial_cam": ("layer {name!r} has no (H, W, C) output; Grad-CAM needs a spatial layer.",
                                    "la capa {name!r} no tiene una salida (H, W, C); Grad-CAM necesita una capa "
                                    "espacial."),
    "explain.err.features": ("need at least 3 feature vectors as an (N, D) array, got shape {shape}.",
                             "se necesitan al menos 3 vectores de características como matriz (N, D); llegó la "
                             "forma {shape}."),
    "explain.err.projection": ("method must be 'pca' or 'tsne'.", "el método debe ser 'pca' o 'tsne'."),
}
