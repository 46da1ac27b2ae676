"""Strings of "Your own photos": adding photos per class, fine-tuning the active model on them
(fashion/own_photos.py, fashion/finetune.py, pages/own_photos.py), and before/after."""

STRINGS = {
    "nav.own": ("Your own photos", "Tus propias fotos"),
    "own.intro": ("Teach the network your own clothes: choose classes, add at least {minimum} photos to each "
                  "(webcam or files), fine-tune the active model on them, and see what it gains on your photos "
                  "and what it forgets of Fashion-MNIST. A quarter of each class's photos is kept aside, never "
                  "trained on, to measure it fairly.",
                  "Enseña a la red tu propia ropa: elige clases, añade al menos {minimum} fotos a cada una "
                  "(cámara o archivos), ajusta el modelo activo con ellas y mira lo que gana con tus fotos y lo "
                  "que olvida de Fashion-MNIST. Una cuarta parte de las fotos de cada clase se aparta, sin "
                  "entrenar con ella, para medirlo con justicia."),
    "own.privacy": ("Privacy: your photos stay in this browser session only, as the small 28×28 images the network "
                    "sees (the original files are not kept). They are gone when you close the tab, and you can "
                    "remove any of them now. During a fine-tune those 28×28 images go to the training worker and "
                    "are deleted when it ends. At most {limit} photos per class, {mb} MB per photo. Models trained "
                    "in class are visible to the class.",
                    "Privacidad: tus fotos solo se quedan en esta sesión del navegador, como las pequeñas imágenes "
                    "de 28×28 que ve la red (los archivos originales no se guardan). Desaparecen al cerrar la "
                    "pestaña y puedes quitar cualquiera ahora. Durante un ajuste esas imágenes de 28×28 van al "
                    "proceso de entrenamiento y se borran cuando termina. Como máximo {limit} fotos por clase y "
                    "{mb} MB por foto. Los modelos entrenados en clase son visibles para toda la clase."),
    "own.classes": ("Classes to teach", "Clases que enseñar"),
    "own.classes_placeholder": ("Choose one or more classes", "Elige una o más clases"),
    "own.choose_first": ("Choose the classes of your clothes above to start adding photos.",
                         "Elige arriba las clases de tu ropa para empezar a añadir fotos."),
    "own.add_title": ("Add photos", "Añadir fotos"),
    "own.target": ("Add to the class", "Añadir a la clase"),
    "own.camera_on": ("Use the webcam", "Usar la cámara"),
    "own.camera": ("Take a photo of a {name} (one shot after another)", "Haz una foto de: {name} (una tras otra)"),
    "own.webcam_name": ("webcam {n}", "cámara {n}"),
    "own.upload": ("Upload photos of a {name}", "Sube fotos de: {name}"),
    "own.zip_title": ("Upload a zip of folders named after classes", "Subir un zip de carpetas con nombres de clases"),
    "own.zip_help": ("One folder per class, named in English or Spanish (Sneaker, Zapatilla, Shirt, Camisa, "
                     "Ankle boot, Botín…), the photos inside.",
                     "Una carpeta por clase, con su nombre en inglés o en español (Sneaker, Zapatilla, Shirt, "
                     "Camisa, Ankle boot, Botín…), con las fotos dentro."),
    "own.zip": ("Zip file", "Archivo zip"),
    "own.zip_added": ("{n} photo(s) added from the zip.", "Se añadieron {n} foto(s) del zip."),
    "own.cannot_use": ("{name} cannot be used: {error}", "No se puede usar {name}: {error}"),
    "own.duplicate": ("{name} is already in this class.", "{name} ya está en esta clase."),
    "own.class_full": ("{name} already has the most photos a class can have ({limit}).",
                       "{name} ya tiene el máximo de fotos por clase ({limit})."),
    "own.yours": ("Your photos, as the network sees them (28×28)", "Tus fotos, tal como las ve la red (28×28)"),
    "own.class_title": ("{name}: {n} photo(s)", "{name}: {n} foto(s)"),
    "own.needs_more": ("{n} more needed (at least {minimum} per class).",
                       "Faltan {n} (al menos {minimum} por clase)."),
    "own.remove": ("Remove", "Quitar"),
    "own.remove_all": ("Remove all my photos", "Quitar todas mis fotos"),
    "own.finetune_title": ("Fine-tune the active model", "Ajustar el modelo activo"),
    "own.base": ("Starting from the active model: {name}", "Partiendo del modelo activo: {name}"),
    "own.choice": ("What should learn?", "¿Qué debe aprender?"),
    "own.choice.head": ("Only the classifier head", "Solo la cabeza clasificadora"),
    "own.choice.whole": ("The whole network, at a low learning rate", "Toda la red, con una tasa de aprendizaje baja"),
    "own.choice.head_help": ("The convolutional base is frozen and only the last Dense layers learn: fast, and it "
                             "keeps what it knew.",
                             "La base convolucional se congela y solo aprenden las últimas capas densas: rápido, y "
                             "conserva lo que sabía."),
    "own.choice.whole_help": ("Every layer adapts a little to your photos: it can gain more on them, and forget "
                              "more of Fashion-MNIST.",
                              "Todas las capas se adaptan un poco a tus fotos: puede ganar más con ellas y olvidar "
                              "más de Fashion-MNIST."),
    "own.epochs": ("Epochs (each one shows every training photo 4 times)",
                   "Épocas (cada una muestra 4 veces cada foto de entrenamiento)"),
    "own.name": ("Name of the new model", "Nombre del nuevo modelo"),
    "own.name_suffix": ("own-photos", "fotos-propias"),
    "own.start": ("Fine-tune on my photos", "Ajustar con mis fotos"),
    "own.run_title": ("Fine-tune: {name}", "Ajuste: {name}"),
    "own.phase.preparing": ("Preparing: loading the model and measuring it {after}…",
                            "Preparando: cargando el modelo y midiéndolo {after}…"),
    "own.phase.measuring": ("Measuring the model {after} on your held-out photos and the shipped real photos…",
                            "Midiendo el modelo {after} con tus fotos apartadas y las fotos reales incluidas…"),
    "own.phase.testing": ("Measuring the model {after} on the 10,000 Fashion-MNIST test images…",
                          "Midiendo el modelo {after} con las 10.000 imágenes de prueba de Fashion-MNIST…"),
    "own.phase.saving": ("Saving the new model, its card and its evaluation…",
                         "Guardando el nuevo modelo, su ficha y su evaluación…"),
    "own.live_val": ("Your held-out photos after epoch {epoch}: {accuracy} right.",
                     "Tus fotos apartadas tras la época {epoch}: {accuracy} de aciertos."),
    "own.before": ("before", "antes"),
    "own.after": ("after", "después"),
    "own.done": ("Fine-tune finished: {epochs} epoch(s) in {duration}.",
                 "Ajuste terminado: {epochs} época(s) en {duration}."),
    "own.stopped": ("Stopped: the model keeps its {epochs} complete epoch(s).",
                    "Detenido: el modelo conserva sus {epochs} época(s) completas."),
    "own.stopped_empty": ("Stopped before the first epoch ended: nothing to keep.",
                          "Detenido antes de acabar la primera época: no hay nada que conservar."),
    "own.row.own": ("Your held-out photos ({n})", "Tus fotos apartadas ({n})"),
    "own.row.real": ("Real phone photos shipped with the studio ({n})", "Fotos reales de móvil incluidas en el estudio ({n})"),
    "own.row.fashion_mnist": ("Fashion-MNIST test ({n} images)", "Prueba de Fashion-MNIST ({n} imágenes)"),
    "own.delta": ("{points} points", "{points} puntos"),
    "own.before_was": ("Before: {value}", "Antes: {value}"),
    "own.col.measure": ("Accuracy on", "Exactitud en"),
    "own.gained_forgot": ("What it gained: the first row (photos it never trained on). What it forgot: the last row. "
                          "The middle row says whether it still works on other people's photos.",
                          "Lo que ganó: la primera fila (fotos con las que nunca entrenó). Lo que olvidó: la última "
                          "fila. La fila del medio dice si sigue funcionando con fotos de otras personas."),
    "own.confusion_before": ("Your held-out photos: before", "Tus fotos apartadas: antes"),
    "own.confusion_after": ("Your held-out photos: after", "Tus fotos apartadas: después"),
    "own.answer": ("The network's answer", "Respuesta de la red"),
    "own.given": ("Your class", "Tu clase"),
    "own.saved_as": ("Saved as a new model: {name}", "Guardado como nuevo modelo: {name}"),
    "own.use_now": ("Use it now on the Photo page", "Usarlo ahora en la página Foto"),
    "own.again": ("New fine-tune", "Nuevo ajuste"),
    # --- refusals (fashion.photos.own.OwnPhotosError, fashion.training.finetune.FinetuneError) -----------------
    "own.error.no_photos": ("there are no photos to fine-tune on yet: add at least {minimum} to each class",
                            "todavía no hay fotos para el ajuste: añade al menos {minimum} a cada clase"),
    "own.error.too_few": ("every class needs at least {minimum} photos (a quarter is kept aside to measure); "
                          "too few in: {classes}. Add {missing} more.",
                          "cada clase necesita al menos {minimum} fotos (una cuarta parte se aparta para medir); "
                          "hay muy pocas en: {classes}. Añade {missing} más."),
    "own.error.too_many": ("at most {maximum} photos per class; too many in: {classes}",
                           "como máximo {maximum} fotos por clase; hay demasiadas en: {classes}"),
    "own.error.photo_too_big": ("the photo is {mb} MB; at most {limit} MB per photo",
                                "la foto ocupa {mb} MB; como máximo {limit} MB por foto"),
    "own.error.bad_labels": ("the photos and their classes do not match", "las fotos y sus clases no coinciden"),
    "own.error.no_folder": ("the photo folder {path} does not exist or is not a folder",
                            "la carpeta de fotos {path} no existe o no es una carpeta"),
    "own.error.unknown_folders": ("these folder names are no Fashion-MNIST class: {names}. Name each folder after a "
                                  "class, in English or Spanish (Sneaker, Zapatilla, Shirt, Camisa…)",
                                  "estos nombres de carpeta no son clases de Fashion-MNIST: {names}. Llama a cada "
                                  "carpeta como una clase, en inglés o en español (Sneaker, Zapatilla, Shirt, Camisa…)"),
    "own.error.unreadable": ("{count} photo(s) could not be used, so nothing was trained: {names}",
                             "no se pudieron usar {count} foto(s), así que no se entrenó nada: {names}"),
    "own.error.not_zip": ("the file is not a zip archive that can be read", "el archivo no es un zip que se pueda leer"),
    "own.error.zip_empty": ("the zip holds no photos in class-named folders",
                            "el zip no contiene fotos en carpetas con nombres de clases"),
    "own.error.zip_too_big": ("the zip is too big: at most {limit} MB", "el zip es demasiado grande: como máximo {limit} MB"),
    "own.error.zip_too_many": ("the zip holds {count} photos; at most {limit}",
                               "el zip contiene {count} fotos; como máximo {limit}"),
    "own.error.zip_too_many_pixels": ("the photos in the zip add up to more than {limit} million pixels, more than "
                                      "a zip may ask the server to decode; send smaller photos (a phone photo is "
                                      "fine) or split them into several zips",
                                      "las fotos del zip suman más de {limit} millones de píxeles, más de lo que un "
                                      "zip puede pedir al servidor que decodifique; envía fotos más pequeñas (una "
                                      "foto del móvil sirve) o repártelas en varios zips"),
    "own.error.epochs": ("epochs must be between {low} and {high}", "las épocas deben estar entre {low} y {high}"),
    "own.error.learning_rate": ("the learning rate must be between 0 and 0.1",
                                "la tasa de aprendizaje debe estar entre 0 y 0,1"),
    "own.error.base": ("cannot start from the model {path}: {reason}", "no se puede partir del modelo {path}: {reason}"),
}
