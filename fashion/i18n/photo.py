"""Strings of the photo pipeline (fashion/photo.py, fashion/predict.py) and the Photo page."""

STRINGS = {
    # --- files that cannot be used (fashion.errors.PhotoError) -------------------------------------------
    "photo.error.missing": ("file not found", "no se encontró el archivo"),
    "photo.error.is_directory": ("this is a folder, not a photo file", "esto es una carpeta, no un archivo de foto"),
    "photo.error.no_permission": ("the file cannot be read: permission denied",
                                  "no se puede leer el archivo: permiso denegado"),
    "photo.error.read_failed": ("the file could not be read ({reason})", "no se pudo leer el archivo ({reason})"),
    "photo.error.empty": ("the file is empty (0 bytes)", "el archivo está vacío (0 bytes)"),
    "photo.error.file_too_big": ("the file is {mb} MB; photos up to {limit} MB are accepted",
                                 "el archivo ocupa {mb} MB; se aceptan fotos de hasta {limit} MB"),
    "photo.error.not_image": ("this is not an image, or not in a supported format "
                              "(JPEG, PNG, WebP, BMP, GIF, HEIC)",
                              "esto no es una imagen, o no está en un formato admitido "
                              "(JPEG, PNG, WebP, BMP, GIF, HEIC)"),
    "photo.error.damaged": ("the image is damaged or cut short (truncated); save or export it again",
                            "la imagen está dañada o cortada (truncada); guárdala o expórtala de nuevo"),
    "photo.error.bomb": ("the image claims {size} pixels, far more than any photo; it was refused "
                         "(possible decompression bomb)",
                         "la imagen dice tener {size} píxeles, muchos más que cualquier foto; se rechazó "
                         "(posible bomba de descompresión)"),
    "photo.error.too_much_work": ("the image is {w}x{h} ({mp} million pixels); a {format} image like this one may "
                                  "have at most {limit} million pixels here, so that decoding it leaves memory for "
                                  "everyone else; save it smaller or as a JPEG",
                                  "la imagen mide {w}x{h} ({mp} millones de píxeles); una imagen {format} como esta "
                                  "puede tener como máximo {limit} millones de píxeles aquí, para que decodificarla "
                                  "deje memoria a los demás; guárdala más pequeña o como JPEG"),
    "photo.error.too_small": ("the image is only {w}x{h} pixels; a photo of a garment needs at least "
                              "{min} pixels on each side",
                              "la imagen solo tiene {w}x{h} píxeles; una foto de una prenda necesita al menos "
                              "{min} píxeles por lado"),
    "photo.error.aspect": ("the image is {w}x{h} pixels, too long and thin to be a photo of a garment",
                           "la imagen mide {w}x{h} píxeles, demasiado alargada para ser la foto de una prenda"),
    "photo.error.blank": ("the image is a single flat colour: there is nothing in it to classify",
                          "la imagen es de un solo color uniforme: no hay nada que clasificar"),
    "photo.error.unreadable": ("this image could not be read", "no se pudo leer esta imagen"),

    # --- steps of the pipeline ------------------------------------------------------------------
    "photo.step.original": ("original", "original"),
    "photo.step.oriented": ("oriented", "orientada"),
    "photo.step.mask": ("garment found", "prenda encontrada"),
    "photo.step.crop": ("cropped", "recortada"),
    "photo.step.input": ("model input 28×28", "entrada del modelo 28×28"),

    # --- not sure: why ----------------------------------------------------------------------------
    "photo.reason.no_garment": ("no garment stood out from the background, so the whole photo was used",
                                "ninguna prenda destacaba sobre el fondo, así que se usó la foto entera"),
    "photo.reason.low_confidence": ("the model is only {confidence:.0%} sure of its answer",
                                    "el modelo solo está seguro al {confidence:.0%} de su respuesta"),
    "photo.reason.unfamiliar": ("this does not look like anything the network learned from: it may not be one of "
                                "the 10 Fashion-MNIST classes (hats, shorts, skirts… are not among them)",
                                "esto no se parece a nada de lo que aprendió la red: puede que no sea una de las "
                                "10 clases de Fashion-MNIST (gorros, pantalones cortos, faldas… no están entre ellas)"),
    "photo.reason.torn": ("the model is torn between {label} and {other}",
                          "el modelo duda entre {label} y {other}"),

    # --- the Photo page ----------------------------------------------------------------------------
    "photo.intro": ("Upload photos of clothes or take one with the webcam. Each photo is turned, step by step, "
                    "into a 28×28 image like those of Fashion-MNIST (garment found, cropped, centred, negated) "
                    "and classified by the active model, which says so when it is not sure.",
                    "Sube fotos de ropa o haz una con la cámara. Cada foto se convierte, paso a paso, en una "
                    "imagen de 28×28 como las de Fashion-MNIST (prenda localizada, recortada, centrada, invertida) "
                    "y la clasifica el modelo activo, que avisa cuando no está seguro."),
    "photo.upload": ("Upload photos (JPEG, PNG, WebP, BMP, GIF, HEIC)",
                     "Sube fotos (JPEG, PNG, WebP, BMP, GIF, HEIC)"),
    "photo.upload_help": ("You can choose several photos at once; each gets its own answer.",
                          "Puedes elegir varias fotos a la vez; cada una tiene su propia respuesta."),
    "photo.camera_on": ("Use the webcam", "Usar la cámara"),
    "photo.camera": ("Take a photo of a garment", "Haz una foto de una prenda"),
    "photo.camera_name": ("webcam photo", "foto de la cámara"),
    "photo.tips": ("Tips: one garment per photo, laid flat or on a hanger, whole and in the middle of the frame, "
                   "on a plain background that contrasts with it. Shoes: one shoe, photographed from the side.",
                   "Consejos: una prenda por foto, extendida o en una percha, entera y en el centro, sobre un "
                   "fondo liso que contraste con ella. Zapatos: uno solo, fotografiado de lado."),
    "photo.empty": ("Upload one or more photos, or take one with the webcam, to see how the network sees them.",
                    "Sube una o varias fotos, o haz una con la cámara, para ver cómo las ve la red."),
    "photo.working": ("Looking for the garment and classifying…", "Buscando la prenda y clasificando…"),
    "photo.results": ("Results", "Resultados"),
    "photo.col.file": ("photo", "foto"),
    "photo.col.answer": ("answer", "respuesta"),
    "photo.col.confidence": ("confidence", "confianza"),
    "photo.col.verdict": ("verdict", "veredicto"),
    "photo.col.reason": ("reason", "motivo"),
    "photo.verdict.sure": ("sure", "seguro"),
    "photo.verdict.not_sure": ("not sure", "no está seguro"),
    "photo.verdict.error": ("cannot be used", "no se puede usar"),
    "photo.answer": ("Answer: **{name}** (confidence {confidence}).",
                     "Respuesta: **{name}** (confianza {confidence})."),
    "photo.not_sure": ("**Not sure.** {reason}. Best guess: {name} (confidence {confidence}).",
                       "**No estoy seguro.** {reason}. Mejor suposición: {name} (confianza {confidence})."),
    "photo.steps": ("From photo to 28×28", "De la foto al 28×28"),
    "photo.example": ("closest real Fashion-MNIST example ({name})",
                      "ejemplo real de Fashion-MNIST más parecido ({name})"),
    "photo.top3": ("Top 3", "Las 3 más probables"),
    "photo.all10": ("The network's scores for all 10 classes", "Las puntuaciones de la red para las 10 clases"),
    "photo.probability": ("network's score", "puntuación de la red"),
    "photo.confidence_explained": ("Confidence {confidence} = the top probability × how familiar the input "
                                   "looks to the network compared with real Fashion-MNIST images ({familiarity}). "
                                   "Below {threshold} the answer is marked “not sure”.",
                                   "Confianza {confidence} = la probabilidad más alta × lo familiar que le resulta "
                                   "la entrada a la red comparada con imágenes reales de Fashion-MNIST "
                                   "({familiarity}). Por debajo de {threshold} la respuesta se marca como "
                                   "«no estoy seguro»."),
    "photo.cam_header": ("Where the network found evidence for {name} (Grad-CAM)",
                         "Dónde encontró la red indicios de {name} (Grad-CAM)"),
    "photo.cam_input": ("on the model input", "sobre la entrada del modelo"),
    "photo.cam_photo": ("on the photo", "sobre la foto"),
    "photo.cam_caption": ("Red: the regions that raised this class's score most; blue: little or none.",
                          "Rojo: las zonas que más subieron la puntuación de esta clase; azul: poco o nada."),
    "photo.cam_unavailable": ("The heat map is not available for this model.",
                              "El mapa de calor no está disponible para este modelo."),
    "photo.cannot_use": ("{name} cannot be used: {error}.", "No se puede usar {name}: {error}."),
    "photo.failed": ("Something went wrong while showing {name}; try another photo.",
                     "Algo falló al mostrar {name}; prueba con otra foto."),
    "photo.model_failed": ("The active model could not classify these photos ({error}). Choose another model "
                           "in the sidebar.",
                           "El modelo activo no pudo clasificar estas fotos ({error}). Elige otro modelo en la "
                           "barra lateral."),
    "photo.more": ("Only the first {n} photos are shown in detail; the table lists all of them.",
                   "Solo se muestran en detalle las {n} primeras fotos; la tabla las recoge todas."),
    # the compact card (phone first)
    "photo.card.photo": ("your photo", "tu foto"),
    "photo.card.input": ("what the network sees (28×28)", "lo que ve la red (28×28)"),
    "photo.answered_by": ("Answered by the model {model}.", "Respuesta del modelo {model}."),
    "photo.details": ("Every step, all 10 scores and where the network looked",
                      "Cada paso, las 10 puntuaciones y dónde miró la red"),
    "photo.col.unsure": ("{name}?", "¿{name}?"),

    # --- the live camera (pages/ui/live_camera.py) ----------------------------------------------------
    "photo.live.on": ("Live camera", "Cámara en vivo"),
    "photo.live.on_help": ("The camera picture shows continuously and the network answers by itself as the garment "
                           "moves: a few small pictures a second go to this server, none are kept unless you press "
                           "“Keep this one”. On a phone the rear camera is used first.",
                           "La imagen de la cámara se ve de forma continua y la red responde sola a medida que se "
                           "mueve la prenda: unas pocas imágenes pequeñas por segundo van a este servidor y no se "
                           "guarda ninguna salvo que pulses «Guardar esta». En un móvil se usa primero la cámara "
                           "trasera."),
    "photo.live.pause": ("Pause", "Pausar"),
    "photo.live.resume": ("Resume", "Reanudar"),
    "photo.live.flip": ("Switch camera", "Cambiar de cámara"),
    "photo.live.starting": ("Starting the camera…", "Encendiendo la cámara…"),
    "photo.live.paused": ("Paused: the camera is off.", "En pausa: la cámara está apagada."),
    "photo.live.waiting": ("Hold a garment up to the camera, whole and against a plain background: the network's "
                           "answer appears here and follows it as it moves.",
                           "Pon una prenda delante de la cámara, entera y sobre un fondo liso: la respuesta de la "
                           "red aparece aquí y la sigue mientras se mueve."),
    "photo.live.frame_name": ("live camera", "cámara en vivo"),
    "photo.live.kept_name": ("live camera {n}", "cámara en vivo {n}"),
    "photo.live.keep": ("Keep this one", "Guardar esta"),
    "photo.live.keep_help": ("Freeze this picture and add it to the answers below, with every step and where the "
                             "network looked.",
                             "Congela esta imagen y añádela a las respuestas de abajo, con cada paso y dónde miró "
                             "la red."),
    "photo.live.kept": ("Kept: its answer is added below, with every step.",
                        "Guardada: su respuesta se añade abajo, con cada paso."),
    "photo.live.unusable": ("This picture cannot be classified: {error}.",
                            "Esta imagen no se puede clasificar: {error}."),
    "photo.live.error.denied": ("The browser was not allowed to use the camera. Allow the camera for this site "
                                "(the camera or lock icon in the address bar), then turn “Live camera” off and on "
                                "again. Uploading photos still works.",
                                "El navegador no tiene permiso para usar la cámara. Permite la cámara para este "
                                "sitio (el icono de la cámara o del candado en la barra de direcciones) y vuelve a "
                                "apagar y encender «Cámara en vivo». Subir fotos sigue funcionando."),
    "photo.live.error.none": ("No camera was found on this device. Uploading photos still works.",
                              "No se ha encontrado ninguna cámara en este dispositivo. Subir fotos sigue "
                              "funcionando."),
    "photo.live.error.busy": ("The camera is in use by another app (a video call?) or could not start. Close that "
                              "app, then turn “Live camera” off and on again. Uploading photos still works.",
                              "Otra aplicación está usando la cámara (¿una videollamada?) o no se pudo encender. "
                              "Cierra esa aplicación y vuelve a apagar y encender «Cámara en vivo». Subir fotos "
                              "sigue funcionando."),
    "photo.live.error.insecure": ("Browsers allow the camera only on secure pages: https://, or http://localhost on "
                                  "the computer that runs the app, and this page was opened over plain http. Open "
                                  "the app as http://localhost:8501 on that computer, or serve it over https (for "
                                  "example `streamlit run streamlit_app.py --server.sslCertFile cert.pem "
                                  "--server.sslKeyFile key.pem`, or behind a web server with a certificate). "
                                  "Uploading photos still works.",
                                  "Los navegadores solo permiten la cámara en páginas seguras: https://, o "
                                  "http://localhost en el ordenador donde se ejecuta la aplicación, y esta página se "
                                  "abrió por http sin cifrar. Abre la aplicación como http://localhost:8501 en ese "
                                  "ordenador, o sírvela por https (por ejemplo `streamlit run streamlit_app.py "
                                  "--server.sslCertFile cert.pem --server.sslKeyFile key.pem`, o detrás de un "
                                  "servidor web con certificado). Subir fotos sigue funcionando."),
    "photo.live.error.failed": ("The camera could not be started. Turn “Live camera” off and on again, or try "
                                "another browser. Uploading photos still works.",
                                "No se pudo encender la cámara. Vuelve a apagar y encender «Cámara en vivo», o "
                                "prueba con otro navegador. Subir fotos sigue funcionando."),
}
