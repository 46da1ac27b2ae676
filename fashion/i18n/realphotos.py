"""Strings of learning from real photos (fashion/photoset.py, fashion/calibration.py) and the
real-photo figures shown beside Fashion-MNIST accuracy."""

STRINGS = {
    # --- photo folders that cannot be trained on (fashion.photos.photoset.PhotoSetError) -------------
    "photoset.error.no_folder": ("the photo folder {path} does not exist or is not a folder",
                                 "la carpeta de fotos {path} no existe o no es una carpeta"),
    "photoset.error.unknown_folders": ("unknown photo folder(s): {names}. Each folder must be named after the "
                                       "kind of garment it holds, one of: {known}",
                                       "carpeta(s) de fotos desconocida(s): {names}. Cada carpeta debe llamarse "
                                       "como el tipo de prenda que contiene, uno de: {known}"),
    "photoset.error.empty_folders": ("these photo folders hold no photos: {names}",
                                     "estas carpetas de fotos no contienen fotos: {names}"),
    "photoset.error.no_photos": ("there are no photos in {path}", "no hay fotos en {path}"),
    "photoset.error.unreadable": ("{count} photo(s) could not be read, so nothing was trained: {names}",
                                  "no se pudieron leer {count} foto(s), así que no se entrenó nada: {names}"),
    "photoset.error.missing": ("the processed photos {path} are missing; rebuild them with: {command}",
                               "faltan las fotos procesadas {path}; vuelve a generarlas con: {command}"),
    "photoset.error.damaged": ("the processed photos {path} are damaged; rebuild them with: {command}",
                               "las fotos procesadas {path} están dañadas; vuelve a generarlas con: {command}"),
    "photoset.error.stale": ("the processed photos {path} were made by photo pipeline version {found}, but the "
                             "app now uses version {current}; rebuild them with: {command}",
                             "las fotos procesadas {path} se hicieron con la versión {found} del proceso de "
                             "fotos, pero la app usa ahora la versión {current}; vuelve a generarlas con: {command}"),
    "config.err.init_from": ("the model to start from, {path}, does not exist",
                             "el modelo del que partir, {path}, no existe"),
    "photoset.error.init_from": ("cannot start from the model {path}: {reason}",
                                 "no se puede partir del modelo {path}: {reason}"),

    # --- the Train page ------------------------------------------------------------------------
    "train.photos": ("Also learn from {n} real phone photos", "Aprender también de {n} fotos reales de móvil"),
    "train.photos_help": ("Phone photos of clothes (public, CC0) put through the same steps as the Photo page, "
                          "mixed into every batch. A network that only ever saw catalogue images is often wrong "
                          "on phone photos (domain shift); these teach it what real photos look like. Photos of "
                          "hats, shorts and skirts teach it to answer 'not sure'. The photographers are split three "
                          "ways: most teach the network, some choose its settings and the not-sure rule, and the "
                          "rest, used for nothing else, give the real-photo accuracy you read.",
                          "Fotos de ropa hechas con móvil (públicas, CC0), procesadas con los mismos pasos que la "
                          "página Foto y mezcladas en cada lote. Una red que solo ha visto imágenes de catálogo "
                          "falla a menudo con fotos de móvil (cambio de dominio); estas le enseñan cómo son las "
                          "fotos reales. Las fotos de gorros, pantalones cortos y faldas le enseñan a responder "
                          "«no estoy seguro». Los fotógrafos se reparten en tres grupos: la mayoría enseña a la red, "
                          "otros sirven para elegir sus ajustes y la regla de «no estoy seguro», y el resto, que no "
                          "se usa para nada más, da la exactitud con fotos reales que lees."),
    "train.line.photos": ("+ {n} real photos", "+ {n} fotos reales"),
    "train.col.photos": ("Real photos learned", "Fotos reales aprendidas"),

    # --- real-photo accuracy beside Fashion-MNIST accuracy ---------------------------------
    "sidebar.photo_accuracy": ("photos {pct}", "fotos {pct}"),
    "metric.real_photo_accuracy": ("Real-photo accuracy", "Exactitud con fotos reales"),
    "metric.real_photo_accuracy_help": ("Share of {n} phone photos of clothes, by photographers never used in "
                                        "training nor to choose anything (the test photographers), whose answer a person would accept (a long-sleeved top may be "
                                        "Pullover, Shirt or T-shirt/top; a shoe Sandal, Sneaker or Ankle boot).",
                                        "Proporción de {n} fotos de ropa hechas con móvil, de fotógrafos que nunca "
                                        "se usaron para entrenar ni para elegir nada (los de prueba), cuya respuesta aceptaría una persona (una prenda "
                                        "de manga larga puede ser Jersey, Camisa o Camiseta/top; un zapato, "
                                        "Sandalia, Zapatilla o Botín)."),
    "eval.domain_shift_catalogue_only": (
        "Domain shift: {fm} on Fashion-MNIST's catalogue images, but {photos} on phone photos ({gap} points lower; shoes "
        "{shoes}). This network has never seen a phone photo: a garment on a bed or a floor, lit by a lamp, does "
        "not look like a product shot, even after the Photo page's steps. Training with real photos closes most "
        "of the gap (Train: 'Also learn from real phone photos').",
        "Cambio de dominio: {fm} con las imágenes de catálogo de Fashion-MNIST, pero {photos} con fotos de móvil "
        "({gap} puntos menos; zapatos {shoes}). Esta red nunca ha visto una foto de móvil: una prenda sobre una cama o el "
        "suelo, con luz de lámpara, no se parece a una foto de producto, ni siquiera tras los pasos de la página "
        "Foto. Entrenar también con fotos reales cierra casi toda la diferencia (Entrenar: «Aprender también de "
        "fotos reales de móvil»)."),
    "eval.domain_shift_learned": (
        "Domain shift: {fm} on Fashion-MNIST's catalogue images and {photos} on phone photos by people it never "
        "saw ({gap} points apart; shoes {shoes}). This network also learned from real phone photos; one trained on "
        "catalogue images alone scores far lower on photos — the generalisation question of course notebook 004.",
        "Cambio de dominio: {fm} con las imágenes de catálogo de Fashion-MNIST y {photos} con fotos de móvil de "
        "personas que nunca vio ({gap} puntos de diferencia; zapatos {shoes}). Esta red también aprendió de fotos reales "
        "de móvil; una entrenada solo con imágenes de catálogo acierta mucho menos con fotos: la pregunta de "
        "generalización del cuaderno 004 del curso."),

    # --- the Photo page: the one number ------------------------------------------------------
    "photo.scores_caption": ("The network's scores for its top {k} classes: how strongly it leans to each, "
                             "not how often it is right (that is the confidence above).",
                             "Las puntuaciones de la red para sus {k} clases principales: cuánto se inclina por "
                             "cada una, no con qué frecuencia acierta (eso es la confianza de arriba)."),
    "photo.confidence_calibrated": (
        "Confidence {confidence}: how often answers like this one were right on phone photos by people this "
        "network never saw — judged from its probabilities, how much it recognises, whether a garment was found, "
        "and how alike this looks to the photos and images it learned from. From {threshold} up the answer counts "
        "as sure: there at least 9 answers in 10 were right.",
        "Confianza {confidence}: con qué frecuencia respuestas como esta acertaron con fotos de móvil de personas "
        "que esta red nunca vio, a partir de sus probabilidades, de cuánto reconoce, de si se encontró una prenda "
        "y de cuánto se parece a las fotos e imágenes de las que aprendió. Desde {threshold} la respuesta cuenta "
        "como segura: ahí acertaron al menos 9 de cada 10."),
}
