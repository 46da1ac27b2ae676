"""Strings of the exported notebook (fashion/export/): its markdown, the comments and labels
in its code, and the exporter's refusals."""

STRINGS = {
    # --- refusals
    "export.err.language": ("Unknown language {language!r}; choose one of {choices}.",
                            "Idioma desconocido {language!r}; elige uno de {choices}."),
    "export.err.unwritable": ("{path} cannot be written ({error}); nothing was written.",
                              "No se puede escribir {path} ({error}); no se escribió nada."),
    "export.err.output_is_folder": ("{path} is a folder; name the file to write.",
                                    "{path} es una carpeta; indica el archivo que se escribirá."),
    "export.err.architecture": (
        "{name}: the exporter cannot write {layer} ({kind}) as Keras code, so no notebook was written "
        "(it would build a different network).",
        "{name}: el exportador no sabe escribir {layer} ({kind}) como código Keras, así que no se escribió "
        "ningún notebook (construiría otra red)."),
    # --- title, parameters, data
    "export.md.title": ("# Clothing image classification with a CNN: {name}",
                        "# Clasificación de imágenes de ropa con una CNN: {name}"),
    "export.md.description": (
        "## Description\nThis notebook builds and trains the convolutional neural network (CNN) that was trained "
        "in the Fashion-MNIST CNN Studio, with the same layers and the same training settings, on the Fashion-MNIST "
        "data set: 70,000 grey 28x28 images of clothes in 10 classes.",
        "## Descripción\nEste notebook construye y entrena la red neuronal convolucional (CNN) que se entrenó en "
        "Fashion-MNIST CNN Studio, con las mismas capas y los mismos ajustes de entrenamiento, sobre el conjunto "
        "de datos Fashion-MNIST: 70.000 imágenes en escala de grises de 28x28 píxeles de prendas en 10 clases."),
    "export.md.objectives": (
        "## Objectives\n- Build and train a CNN model for image classification.\n- Evaluate the model and "
        "visualise the results.\n- Try it on new photos and reflect on how well it generalises.\n- Write a short "
        "report: results, design decisions, limitations and improvements.\n\nThe first code cell holds the "
        "parameters: lower `EPOCHS` or `TRAIN_SUBSET` for a quick try.",
        "## Objetivos\n- Construir y entrenar un modelo CNN para la clasificación de imágenes.\n- Evaluar el "
        "modelo y visualizar los resultados.\n- Probarlo con fotos nuevas y reflexionar sobre su capacidad de "
        "generalizar.\n- Escribir un informe breve: resultados, decisiones de diseño, limitaciones y mejoras.\n\n"
        "La primera celda de código contiene los parámetros: baja `EPOCHS` o `TRAIN_SUBSET` para una prueba rápida."),
    "export.md.no_card": ("*This model has no model card: the notebook uses the training settings of course notebook 000's recipe.*",
                          "*Este modelo no tiene ficha: el notebook usa los ajustes de entrenamiento de la receta "
                          "de la semilla.*"),
    "export.code.parameters": ("Parameters (a notebook runner such as papermill can change them)",
                               "Parámetros (un ejecutor de notebooks como papermill puede cambiarlos)"),
    "export.code.epochs": ("passes over the training images", "pasadas por las imágenes de entrenamiento"),
    "export.code.subset": ("training images used; 0 = all 60,000", "imágenes de entrenamiento usadas; 0 = las 60.000"),
    "export.code.photos_dir": ("a folder with your own photos of clothes", "una carpeta con tus fotos de prendas"),
    "export.md.imports": ("## Import the libraries", "## Importación de librerías"),
    "export.md.loading": (
        "## Load and prepare the data\nThe four original Fashion-MNIST files are looked for in `$FASHION_MNIST_DIR`, "
        "in the Debian package `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist`) and in Keras' cache "
        "(`~/.keras/datasets/fashion-mnist`); only when none has them does Keras download them. The pixels are "
        "scaled to [0, 1] and each image gets a channel axis: (28, 28, 1).",
        "## Carga y preparación del conjunto de datos\nLos cuatro archivos originales de Fashion-MNIST se buscan "
        "en `$FASHION_MNIST_DIR`, en el paquete de Debian `dataset-fashion-mnist` "
        "(`/usr/share/datasets/fashion-mnist`) y en la caché de Keras (`~/.keras/datasets/fashion-mnist`); solo "
        "si no están en ninguno, Keras los descarga. Los píxeles se normalizan a [0, 1] y cada imagen recibe una "
        "dimensión de canal: (28, 28, 1)."),
    "export.code.find_doc": ("The first folder holding the four original files, or None.",
                             "La primera carpeta con los cuatro archivos originales, o None."),
    "export.code.read_doc": ("One idx file (gzip) as a flat uint8 array.",
                             "Un archivo idx (gzip) como un arreglo plano de uint8."),
    "export.code.found": ("Fashion-MNIST read from", "Fashion-MNIST leído de"),
    "export.code.downloaded": ("Fashion-MNIST downloaded by Keras", "Fashion-MNIST descargado por Keras"),
    "export.code.scale": ("Scale the pixels to values between 0 and 1", "Normalizar los píxeles a valores entre 0 y 1"),
    "export.code.reshape": ("Add a channel axis: height, width, channel",
                            "Cambiar la forma para tener una dimensión de canal: alto, ancho, canal"),
    "export.md.grid": ("## Look at the images", "## Visualización de imágenes"),
    "export.md.split": (
        "## Training and validation sets\nAs in the studio: the training images are shuffled with the random seed, the "
        "first `TRAIN_SUBSET` are kept (0 = all), and a share of them is held out to draw the validation curve. "
        "With no share held out, the test set draws it (as course notebook 000 does).",
        "## Conjuntos de entrenamiento y validación\nComo en el estudio: las imágenes de entrenamiento se barajan "
        "con la semilla, se toman las primeras `TRAIN_SUBSET` (0 = todas) y se aparta una parte para la curva de "
        "validación. Si no se aparta ninguna, la dibuja el conjunto de prueba (como el notebook semilla 000)."),
    "export.code.split": ("share held out for validation; 0 = validate on the test set",
                          "parte apartada para validación; 0 = validar con el conjunto de prueba"),
    "export.code.on_test": ("validate on the test set, as course notebook 000 does",
                            "validar con el conjunto de prueba, como el notebook semilla 000"),
    "export.code.sizes": ("training / validation images:", "imágenes de entrenamiento / validación:"),
    "export.md.augmentation": (
        "## Data augmentation\nThe studio changed each training image at random every epoch ({names}) with its own "
        "TensorFlow operations. Here stock Keras preprocessing layers do the same kinds of change; they are close "
        "approximations, not identical ones (the exact amounts and probabilities differ a little).",
        "## Aumento de datos\nEl estudio cambió al azar cada imagen de entrenamiento en cada época ({names}) con "
        "sus propias operaciones de TensorFlow. Aquí capas de preprocesado estándar de Keras hacen los mismos tipos "
        "de cambio; son aproximaciones cercanas, no idénticas (las cantidades y probabilidades exactas difieren un "
        "poco)."),
    "export.md.preview": ("One training image under each augmentation (run the cell again for other random changes):",
                          "Una imagen de entrenamiento con cada aumento (ejecuta la celda otra vez para ver otros "
                          "cambios al azar):"),
    "export.code.original": ("original", "original"),
    # --- network and training
    "export.md.network": (
        "## Build the CNN\nThe network of the studio's model (`{architecture}`, {layers} layers), written out layer "
        "by layer from the saved model: every argument that differs from Keras' default is shown.",
        "## Construcción del modelo CNN\nLa red del modelo del estudio (`{architecture}`, {layers} capas), escrita "
        "capa a capa a partir del modelo guardado: se muestra cada argumento distinto del valor por defecto de Keras."),
    "export.code.seeded": ("the same random seed gives the same starting weights",
                           "la misma semilla da los mismos pesos iniciales"),
    "export.md.training": (
        "## Compile and train the model\nOptimizer `{optimizer}` with learning rate {learning_rate} "
        "(schedule: `{schedule}`), label smoothing {smoothing}, batches of {batch}, {epochs} epochs, "
        "validation share {split}: the studio's settings for this run.",
        "## Compilación y entrenamiento del modelo\nOptimizador `{optimizer}` con tasa de aprendizaje "
        "{learning_rate} (programa: `{schedule}`), suavizado de etiquetas {smoothing}, lotes de {batch}, {epochs} "
        "épocas, parte de validación {split}: los ajustes del estudio para esta ejecución."),
    "export.code.one_hot": ("label smoothing needs one-hot targets", "el suavizado de etiquetas necesita etiquetas one-hot"),
    "export.code.batches": ("batches shuffled with the random seed in a new order every epoch (as the studio does)",
                            "lotes barajados con la semilla en otro orden en cada época (como hace el estudio)"),
    "export.md.flip_tta": (
        "## Test-time flip\nThe studio's model averages its answer on each image and on its mirror image. A frozen "
        "Dense layer holding the anti-diagonal matrix mirrors the pixels, so the saved model is still plain Keras.",
        "## Volteo en la prueba\nEl modelo del estudio promedia su respuesta sobre cada imagen y sobre su imagen "
        "espejo. Una capa Dense congelada con la matriz antidiagonal refleja los píxeles, así que el modelo guardado "
        "sigue siendo Keras estándar."),
    "export.code.flip_tta": ("network: the trained network; the mirror layer reverses each row of pixels",
                             "network: la red entrenada; la capa espejo invierte cada fila de píxeles"),
    "export.md.not_repeated": ("### What this notebook does not repeat", "### Lo que este notebook no repite"),
    "export.md.not_photos": (
        "The studio's model also learned from real phone photos of clothes, mixed into every batch. Those photos "
        "are not part of Fashion-MNIST and not shipped with this notebook, so it trains on Fashion-MNIST only: "
        "expect about the same test accuracy, but a weaker result on your own photos.",
        "El modelo del estudio también aprendió de fotos reales de ropa hechas con el móvil, mezcladas en cada lote. "
        "Esas fotos no forman parte de Fashion-MNIST ni acompañan a este notebook, así que aquí se entrena solo con "
        "Fashion-MNIST: espera una exactitud de prueba parecida, pero peor resultado con tus propias fotos."),
    "export.md.not_finetune": (
        "The studio's model was fine-tuned on a class's own photos, starting from another saved model. Neither "
        "the photos nor that model travel with this notebook: it trains the same network from scratch.",
        "El modelo del estudio se ajustó con fotos propias de una clase, partiendo de otro modelo guardado. Ni las "
        "fotos ni ese modelo acompañan a este notebook: aquí se entrena la misma red desde cero."),
    "export.md.not_init": (
        "The studio's run started from the weights of another saved model ({start}), which does not travel with "
        "this notebook: it trains the same network from scratch, so more epochs may be needed for the same result.",
        "La ejecución del estudio partió de los pesos de otro modelo guardado ({start}), que no acompaña a este "
        "notebook: aquí se entrena la misma red desde cero, así que pueden hacer falta más épocas para el mismo "
        "resultado."),
    # --- judging
    "export.md.curves": ("## Accuracy and loss curves", "## Curvas de exactitud y pérdida"),
    "export.code.train_acc": ("Training accuracy", "Exactitud de entrenamiento"),
    "export.code.val_acc": ("Validation accuracy", "Exactitud de validación"),
    "export.code.train_loss": ("Training loss", "Pérdida de entrenamiento"),
    "export.code.val_loss": ("Validation loss", "Pérdida de validación"),
    "export.code.epoch": ("epoch", "época"),
    "export.code.acc_title": ("Training and validation accuracy", "Exactitud de entrenamiento y validación"),
    "export.code.loss_title": ("Training and validation loss", "Pérdida de entrenamiento y validación"),
    "export.md.evaluate": ("## Evaluate the model on the test set", "## Evaluación del modelo en el conjunto de prueba"),
    "export.code.recompile": ("the test loss is plain cross-entropy on the test labels",
                              "la pérdida de prueba es la entropía cruzada simple sobre las etiquetas de prueba"),
    "export.code.test_accuracy": ("\nTest accuracy:", "\nExactitud en los datos de prueba:"),
    "export.md.confusion": ("## Confusion matrix\nRows: the true class; columns: the predicted class.",
                            "## Matriz de confusión\nFilas: la clase verdadera; columnas: la clase predicha."),
    "export.code.confusion_title": ("Confusion matrix", "Matriz de confusión"),
    "export.code.predicted": ("predicted class", "clase predicha"),
    "export.code.true": ("true class", "clase verdadera"),
    "export.md.per_class": ("## Precision, recall and F1 per class",
                            "## Precisión, exhaustividad (recall) y F1 por clase"),
    "export.md.pairs": ("## Most confused pairs\nHow many test images of one class were taken for another.",
                        "## Pares más confundidos\nCuántas imágenes de prueba de una clase se tomaron por otra."),
    "export.md.viewer": ("## Predictions\nEach image with the 10 probabilities: blue = the true class, red = a wrong "
                         "answer.",
                         "## Predicciones y visualización de resultados\nCada imagen con las 10 probabilidades: "
                         "azul = la clase verdadera, rojo = una respuesta equivocada."),
    "export.code.viewer": ("the first test images, then two mistakes", "las primeras imágenes de prueba y dos errores"),
    "export.md.save": ("## Save the model", "## Guardar el modelo"),
    "export.code.saved": ("model saved in", "modelo guardado en"),
    # --- photos
    "export.md.photos": (
        "## Try it on new photos\nPut photos of clothes (from the internet or your phone) in the folder "
        "`PHOTOS_DIR`. Each photo is turned into a Fashion-MNIST-like image the way the data set was made: grey, "
        "the garment found and cropped, its longest edge resized to 28 pixels, centred, and negated (light garment "
        "on black).",
        "## Prueba con imágenes nuevas\nPon fotos de prendas (de internet o de tu móvil) en la carpeta `PHOTOS_DIR`. "
        "Cada foto se convierte en una imagen como las de Fashion-MNIST, como se hizo el conjunto de datos: en "
        "grises, con la prenda localizada y recortada, el lado más largo a 28 píxeles, centrada e invertida (prenda "
        "clara sobre negro)."),
    "export.code.photo_doc": ("A photo as a 28x28 image like Fashion-MNIST's, values in [0, 1].",
                              "Una foto como imagen de 28x28 al estilo de Fashion-MNIST, con valores en [0, 1]."),
    "export.code.photo_find": ("find the garment: Otsu's threshold separates it from a lighter background; crop it",
                               "localizar la prenda: el umbral de Otsu la separa de un fondo más claro; recortarla"),
    "export.code.photo_resize": ("longest edge to 28 pixels, keeping the proportions",
                                 "el lado más largo a 28 píxeles, manteniendo las proporciones"),
    "export.code.photo_centre": ("centre it on a 28x28 canvas", "centrarla en un lienzo de 28x28"),
    "export.code.photo_negate": ("negate: Fashion-MNIST garments are light on black",
                                 "invertir: en Fashion-MNIST las prendas son claras sobre negro"),
    "export.code.photo_empty": ("No photos found; put some in this folder and run the cell again:",
                                "No hay fotos; pon algunas en esta carpeta y ejecuta la celda otra vez:"),
    "export.md.generalise": (
        "**Question.** Observe how the model behaves on these new images and reflect on its ability to generalise "
        "to data it has never seen. Which photos does it get right, which wrong, and why?",
        "**Pregunta.** Observa cómo se comporta el modelo con estas nuevas imágenes y reflexiona sobre su capacidad "
        "para generalizar a datos no vistos previamente. ¿Qué fotos acierta, cuáles falla y por qué?"),
    # --- informe
    "export.md.informe": ("## Report", "## Informe"),
    "export.md.studio_figures": ("Results of the studio's run", "Resultados de la ejecución del estudio"),
    "export.md.fig_test": ("Test accuracy (10,000 Fashion-MNIST images)",
                           "Exactitud en la prueba (10.000 imágenes de Fashion-MNIST)"),
    "export.md.fig_photos": ("Accuracy on {photos} real photos held out", "Exactitud en {photos} fotos reales apartadas"),
    "export.md.fig_time": ("Training time: {seconds} s for {epochs} epochs ({machine})",
                           "Tiempo de entrenamiento: {seconds} s para {epochs} épocas ({machine})"),
    "export.md.col_class": ("Class", "Clase"),
    "export.md.col_precision": ("Precision", "Precisión"),
    "export.md.col_recall": ("Recall", "Exhaustividad"),
    "export.md.col_f1": ("F1", "F1"),
    "export.md.decisions": ("Design decisions", "Decisiones de diseño"),
    "export.md.dec_arch": ("Architecture `{architecture}`, {params} parameters",
                           "Arquitectura `{architecture}`, {params} parámetros"),
    "export.md.dec_training": ("Optimizer `{optimizer}`, learning rate {learning_rate} (`{schedule}`), batches of "
                               "{batch}, {epochs} epochs",
                               "Optimizador `{optimizer}`, tasa de aprendizaje {learning_rate} (`{schedule}`), lotes "
                               "de {batch}, {epochs} épocas"),
    "export.md.dec_augment": ("Data augmentation: {names}", "Aumento de datos: {names}"),
    "export.md.dec_smoothing": ("Label smoothing {smoothing}; validation share {split}",
                                "Suavizado de etiquetas {smoothing}; parte de validación {split}"),
    "export.md.dec_command": ("The studio's command", "La orden del estudio"),
    "export.md.limitations": ("Limitations and possible improvements", "Limitaciones y posibles mejoras"),
    "export.md.weakest": ("The weakest class is {name} (F1 {f1}), mostly confused with similar garments.",
                          "La clase más débil es {name} (F1 {f1}), confundida sobre todo con prendas parecidas."),
    "export.md.overfit": ("Training accuracy ({train}) ran ahead of validation ({val}): some overfitting; more "
                          "augmentation, dropout or fewer epochs may help.",
                          "La exactitud de entrenamiento ({train}) superó a la de validación ({val}): algo de "
                          "sobreajuste; más aumento de datos, dropout o menos épocas pueden ayudar."),
    "export.md.no_overfit": ("Training ({train}) and validation ({val}) accuracy stayed close: little overfitting.",
                             "La exactitud de entrenamiento ({train}) y la de validación ({val}) quedaron cerca: "
                             "poco sobreajuste."),
    "export.md.photo_gap": ("Fashion-MNIST images are catalogue shots; real photos (other light, backgrounds, "
                            "angles) are harder, whatever the test accuracy.",
                            "Las imágenes de Fashion-MNIST son fotos de catálogo; las fotos reales (otra luz, "
                            "fondos, ángulos) son más difíciles, sea cual sea la exactitud de prueba."),
    "export.md.try_augment": ("Try data augmentation (shift, flip, rotation, zoom).",
                              "Prueba el aumento de datos (desplazamiento, volteo, rotación, zoom)."),
    "export.md.try_more": ("Compare architectures and tune batch size, epochs and learning rate.",
                           "Compara arquitecturas y ajusta el tamaño de lote, las épocas y la tasa de aprendizaje."),
    "export.md.beside": ("### This notebook's results beside the studio's\nTest accuracy and recall per class.",
                         "### Resultados de este notebook junto a los del estudio\nExactitud de prueba y "
                         "exhaustividad por clase."),
    "export.code.studio": ("studio", "estudio"),
    "export.code.notebook": ("notebook", "notebook"),
    "export.code.test_accuracy_short": ("test accuracy", "exactitud"),
    "export.md.reflections": (
        "### Reflections\n*Write here: what your results mean, which design decisions mattered, the model's "
        "limitations (which classes it confuses, how it did on your photos) and what you would try next.*",
        "### Reflexiones\n*Escribe aquí: qué significan tus resultados, qué decisiones de diseño importaron, las "
        "limitaciones del modelo (qué clases confunde, cómo le fue con tus fotos) y qué probarías después.*"),
    "export.button.notebook": ("Download notebook (.ipynb)", "Descargar cuaderno (.ipynb)"),
    "export.button.notebook_help": (
        "The Jupyter notebook of this network, as the course asks for it: the data, the network written out in "
        "Keras, training with the same settings, curves, test accuracy, confusion matrix, per-class metrics, "
        "your photos and the report to finish. It needs only TensorFlow, NumPy, Matplotlib, scikit-learn, "
        "Pillow and OpenCV.",
        "El cuaderno de Jupyter de esta red, como lo pide el curso: los datos, la red escrita en Keras, el "
        "entrenamiento con los mismos ajustes, las curvas, la exactitud en prueba, la matriz de confusión, las "
        "métricas por clase, tus fotos y el informe por terminar. Solo necesita TensorFlow, NumPy, Matplotlib, "
        "scikit-learn, Pillow y OpenCV."),
    "export.button.model": ("Download model (.zip)", "Descargar modelo (.zip)"),
    "export.button.model_help": (
        "The trained model (.keras, opens with keras.models.load_model) and its model card (.json), in one zip.",
        "El modelo entrenado (.keras, se abre con keras.models.load_model) y su ficha (.json), en un zip."),
}
