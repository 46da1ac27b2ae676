"""Strings of the Dataset page."""

STRINGS = {
    "data.intro": ("Fashion-MNIST: 70,000 grey photos of clothes and accessories in ten classes, cut to 28x28 "
                   "pixels. Shown here dark on white, as in course notebook 000; the files store the garment bright on black.",
                   "Fashion-MNIST: 70.000 fotos en gris de ropa y accesorios en diez clases, reducidas a 28x28 "
                   "píxeles. Aquí se muestran oscuras sobre blanco, como en el cuaderno 000 del curso; los archivos guardan la "
                   "prenda clara sobre negro."),
    "data.from.debian": ("the Fashion-MNIST files installed on this computer ({folder})",
                         "los archivos de Fashion-MNIST instalados en este ordenador ({folder})"),
    "data.from.keras-cache": ("the copy of Fashion-MNIST that Keras keeps on this computer ({folder})",
                              "la copia de Fashion-MNIST que Keras guarda en este ordenador ({folder})"),
    "data.from.download": ("Fashion-MNIST as Keras downloaded it ({folder})",
                           "Fashion-MNIST tal como lo descargó Keras ({folder})"),
    "data.from.FASHION_MNIST_DIR": ("the Fashion-MNIST files in the folder that FASHION_MNIST_DIR names ({folder})",
                                    "los archivos de Fashion-MNIST de la carpeta que indica FASHION_MNIST_DIR ({folder})"),
    "data.source": ("{train} training and {test} test images, {h}x{w} pixels, grey levels 0-255 (the model sees "
                    "them divided by 255, in [0, 1], with shape (28, 28, 1)). Loaded from {source}.",
                    "{train} imágenes de entrenamiento y {test} de prueba, de {h}x{w} píxeles, niveles de gris 0-255 "
                    "(el modelo las ve divididas entre 255, en [0, 1], con forma (28, 28, 1)). Cargadas desde {source}."),
    "data.grid": ("The first 25 training images", "Las primeras 25 imágenes de entrenamiento"),
    "data.grid_help": ("The 5x5 grid of course notebook 000, each image with its class name.",
                       "La cuadrícula de 5x5 del cuaderno 000 del curso, cada imagen con el nombre de su clase."),
    "data.browse": ("Browse one class", "Explorar una clase"),
    "data.browse_class": ("Class", "Clase"),
    "data.reshuffle": ("Reshuffle", "Barajar de nuevo"),
    "data.browse_caption": ("{n} random training images of {name}, out of {total}.",
                            "{n} imágenes de entrenamiento al azar de {name}, de un total de {total}."),
    "data.counts": ("Images per class", "Imágenes por clase"),
    "data.counts_note": ("A balanced dataset: {train} training and {test} test images of every class, so accuracy "
                         "is a fair summary.",
                         "Un conjunto equilibrado: {train} imágenes de entrenamiento y {test} de prueba de cada "
                         "clase, así que la exactitud global es un buen resumen."),
    "data.counts_uneven": ("Class sizes differ: from {low} to {high} training images.",
                           "Los tamaños de las clases varían: de {low} a {high} imágenes de entrenamiento."),
    "data.split_train": ("Training", "Entrenamiento"),
    "data.split_test": ("Test", "Prueba"),
    "data.images": ("Images", "Imágenes"),
    "data.means": ("Mean image of each class", "Imagen media de cada clase"),
    "data.means_help": ("The average of all training images of a class: the typical silhouette the network can "
                        "rely on. T-shirt/top, Pullover, Coat and Shirt look alike, which is why they get confused.",
                        "La media de todas las imágenes de entrenamiento de una clase: la silueta típica en la que "
                        "puede apoyarse la red. Camiseta/Top, Suéter, Abrigo y Camisa se parecen, y por eso se "
                        "confunden."),
    "data.histogram": ("Pixel-intensity histogram", "Histograma de intensidades de píxel"),
    "data.hist_of": ("Images", "Imágenes"),
    "data.all_classes": ("All classes", "Todas las clases"),
    "data.log_scale": ("Logarithmic scale", "Escala logarítmica"),
    "data.intensity": ("Grey level (0 = background)", "Nivel de gris (0 = fondo)"),
    "data.pixels": ("Pixels", "Píxeles"),
    "data.hist_caption": ("{zero} of the pixels are pure background (0) and {full} are at full intensity (255); "
                          "mean grey level {mean}.",
                          "El {zero} de los píxeles es fondo puro (0) y el {full} está a intensidad máxima (255); "
                          "nivel de gris medio {mean}."),
    "data.loading": ("Loading the 70,000 Fashion-MNIST images…", "Cargando las 70.000 imágenes de Fashion-MNIST…"),
}
