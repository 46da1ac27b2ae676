"""Strings of the photo pipeline (fashion/photo.py, fashion/predict.py) and the Photo page."""

STRINGS = {
    # --- files that cannot be used (fashion.photo.PhotoError) ---------------------------------
    "photo.error.missing": ("file not found", "no se encontró el archivo"),
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
    "photo.reason.low_confidence": ("the model is only {confidence:.0%} sure: this may not be one of the "
                                    "10 Fashion-MNIST classes (hats, shorts, skirts… are not among them)",
                                    "el modelo solo está seguro al {confidence:.0%}: puede que no sea una de las "
                                    "10 clases de Fashion-MNIST (gorros, pantalones cortos, faldas… no lo son)"),
    "photo.reason.shape": ("its shape (height/width {aspect:.1f}) is unusual for a {name} in Fashion-MNIST",
                           "su forma (alto/ancho {aspect:.1f}) es inusual para un {name} en Fashion-MNIST"),
}
