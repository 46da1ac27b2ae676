"""Strings of the "Inside the CNN" page (pages/explain.py)."""

STRINGS = {
    "explain.intro": (
        "Follow one image through the network: its layers, what each convolution sees, where the evidence "
        "for a class lies (Grad-CAM), and where the image sits among other test images in the network's own space.",
        "Sigue una imagen a través de la red: sus capas, lo que ve cada convolución, dónde está la evidencia "
        "de una clase (Grad-CAM) y dónde queda la imagen entre otras imágenes de prueba en el espacio propio de la red."),
    "explain.error": ("This part could not be shown: {error}", "Esta parte no se pudo mostrar: {error}"),

    # --- picking an image
    "explain.pick_header": ("1. Pick an image", "1. Elige una imagen"),
    "explain.source": ("Image from", "Imagen de"),
    "explain.source_test": ("the test set", "el conjunto de prueba"),
    "explain.source_photo": ("your photos ({count})", "tus fotos ({count})"),
    "explain.class_filter": ("Class", "Clase"),
    "explain.any_class": ("Any class", "Cualquier clase"),
    "explain.another": ("Another image", "Otra imagen"),
    "explain.another_help": ("A random test image of the chosen class.",
                             "Una imagen de prueba al azar de la clase elegida."),
    "explain.index": ("Test image number", "Número de imagen de prueba"),
    "explain.photo": ("Photo", "Foto"),
    "explain.no_photos": ("No photos yet. Upload one on the \"Classify a photo\" page and it will appear here.",
                          "Aún no hay fotos. Sube una en la página \"Clasificar una foto\" y aparecerá aquí."),
    "explain.test_caption": ("Test image #{index} · true class: {name}",
                             "Imagen de prueba n.º {index} · clase real: {name}"),
    "explain.photo_caption": ("Your photo: {name} (as the network sees it, 28×28)",
                              "Tu foto: {name} (como la ve la red, 28×28)"),
    "explain.prediction": ("Prediction: **{name}** ({prob})", "Predicción: **{name}** ({prob})"),
    "explain.right": ("The network is right.", "La red acierta."),
    "explain.wrong": ("The network is wrong: the true class is {name}.", "La red se equivoca: la clase real es {name}."),
    "explain.probs_title": ("Probabilities (blue = true class, red = wrong prediction)",
                            "Probabilidades (azul = clase real, rojo = predicción errónea)"),

    # --- the layers
    "explain.layers_header": ("2. The network, layer by layer", "2. La red, capa a capa"),
    "explain.layers_help": (
        "The image enters at the top as 28×28×1 and leaves at the bottom as 10 probabilities. Each row is one "
        "layer: its output shape (height × width × channels) and how many weights it learned.",
        "La imagen entra arriba como 28×28×1 y sale abajo como 10 probabilidades. Cada fila es una capa: la "
        "forma de su salida (alto × ancho × canales) y cuántos pesos aprendió."),
    "explain.tta_note": (
        "This model looks at each image twice, as it is and mirrored left to right, and averages the two "
        "predictions. The layers below are those of its inner network, {name}; the Grad-CAM maps average both views.",
        "Este modelo mira cada imagen dos veces, tal cual y reflejada de izquierda a derecha, y promedia las dos "
        "predicciones. Las capas de abajo son las de su red interior, {name}; los mapas Grad-CAM promedian ambas vistas."),
    "explain.col_layer": ("Layer", "Capa"),
    "explain.col_type": ("Type", "Tipo"),
    "explain.col_shape": ("Output shape", "Forma de salida"),
    "explain.col_params": ("Parameters", "Parámetros"),
    "explain.col_settings": ("Settings", "Ajustes"),
    "explain.total_params": ("{count} parameters in total", "{count} parámetros en total"),
    "explain.set_filters": ("{n} filters {k}", "{n} filtros {k}"),
    "explain.set_stride": ("stride {s}", "paso {s}"),
    "explain.set_padding": ("padding '{p}'", "relleno '{p}'"),
    "explain.set_activation": ("activation {a}", "activación {a}"),
    "explain.set_units": ("{n} units", "{n} neuronas"),
    "explain.set_rate": ("drops {r} of its inputs while training", "anula {r} de sus entradas al entrenar"),
    "explain.set_pool": ("window {p}", "ventana {p}"),

    # --- filters and feature maps
    "explain.filters_header": ("3. What the first layer learned", "3. Lo que aprendió la primera capa"),
    "explain.filters_help": (
        "Each square is one filter of the first convolution ({name}), enlarged: light = positive weight, "
        "dark = negative. Sliding across the image, a filter responds where the image looks like it: edges, "
        "stripes, corners.",
        "Cada cuadrado es un filtro de la primera convolución ({name}), ampliado: claro = peso positivo, "
        "oscuro = negativo. Al deslizarse por la imagen, un filtro responde donde la imagen se le parece: "
        "bordes, rayas, esquinas."),
    "explain.no_conv": ("This model has no convolutional layer, so there are no filters or feature maps to show.",
                        "Este modelo no tiene capas convolucionales, así que no hay filtros ni mapas de activación."),
    "explain.maps_header": ("4. Feature maps: what each layer sees", "4. Mapas de activación: lo que ve cada capa"),
    "explain.maps_help": (
        "One small picture per channel: bright where that channel responds to this image (each picture is "
        "scaled on its own). Early layers keep the garment's outline; deeper ones are smaller and more abstract.",
        "Una imagen pequeña por canal: clara donde ese canal responde a esta imagen (cada imagen se escala por "
        "separado). Las primeras capas conservan la silueta de la prenda; las profundas son más pequeñas y abstractas."),
    "explain.maps_all": ("Every layer with a spatial output (batch norm, activations, pooling too)",
                         "Todas las capas con salida espacial (también normalización, activaciones y pooling)"),
    "explain.maps_count": ("Maps per layer", "Mapas por capa"),
    "explain.maps_layer": ("**{name}** · {type} · {shape}", "**{name}** · {type} · {shape}"),
    "explain.maps_shown": ("showing {shown} of {total} channels", "se muestran {shown} de {total} canales"),

    # --- Grad-CAM
    "explain.cam_header": ("5. Grad-CAM: where the evidence is", "5. Grad-CAM: dónde está la evidencia"),
    "explain.cam_help": (
        "Bright regions are where, at layer {layer}, the network found the evidence that pushes the score of a "
        "class up. Compare the predicted class with another one, chosen below.",
        "Las zonas claras son donde, en la capa {layer}, la red encontró la evidencia que sube la puntuación de "
        "una clase. Compara la clase predicha con otra, elegida abajo."),
    "explain.cam_predicted": ("Predicted: {name} ({prob})", "Predicha: {name} ({prob})"),
    "explain.cam_other": ("What would make it a …?", "¿Qué lo haría ser un/a …?"),
    "explain.cam_other_caption": ("What would make it a {name}? ({prob})", "¿Qué lo haría ser {name}? ({prob})"),
    "explain.cam_settings": ("Grad-CAM settings", "Ajustes de Grad-CAM"),
    "explain.cam_layer": ("Layer", "Capa"),
    "explain.cam_method": ("Weighting", "Ponderación"),
    "explain.cam_element": ("each place by its own gradient (HiResCAM, shows only what is used)",
                            "cada lugar por su propio gradiente (HiResCAM, muestra solo lo que se usa)"),
    "explain.cam_classic": ("each channel by its mean gradient (classic Grad-CAM)",
                            "cada canal por su gradiente medio (Grad-CAM clásico)"),
    "explain.cam_empty": ("The map is empty: nothing in this image speaks for {name} at this layer.",
                          "El mapa está vacío: nada en esta imagen habla a favor de {name} en esta capa."),

    # --- embedding map
    "explain.map_header": ("6. The embedding map: {count} test images as the network sees them",
                           "6. El mapa de representaciones: {count} imágenes de prueba como las ve la red"),
    "explain.map_help": (
        "Each point is a test image, placed by the activations of the layer before the classifier ({dims} "
        "numbers squeezed into 2). Images the network finds alike lie close together: see how Shirt, "
        "T-shirt/top, Pullover and Coat overlap. Click a point to look at that image; click a class in the "
        "legend to hide it.",
        "Cada punto es una imagen de prueba, situada según las activaciones de la capa anterior al clasificador "
        "({dims} números reducidos a 2). Las imágenes que la red ve parecidas quedan cerca: mira cómo se mezclan "
        "Camisa, Camiseta/Top, Suéter y Abrigo. Haz clic en un punto para ver esa imagen; haz clic en una clase "
        "de la leyenda para ocultarla."),
    "explain.map_method": ("Projection", "Proyección"),
    "explain.pca": ("PCA (instant)", "PCA (inmediata)"),
    "explain.tsne": ("t-SNE (clearer groups, takes a while)", "t-SNE (grupos más claros, tarda un poco)"),
    "explain.tsne_info": ("t-SNE has not been computed for this model yet; it takes up to a minute.",
                          "t-SNE aún no se ha calculado para este modelo; tarda hasta un minuto."),
    "explain.tsne_button": ("Compute t-SNE", "Calcular t-SNE"),
    "explain.tsne_running": ("Computing t-SNE for {count} images…", "Calculando t-SNE para {count} imágenes…"),
    "explain.map_computing": ("Passing {count} test images through the network…",
                              "Pasando {count} imágenes de prueba por la red…"),
    "explain.map_chosen": ("chosen image", "imagen elegida"),
    "explain.map_hover": ("Test image #{index}<br>true: {true}<br>predicted: {pred}",
                          "Imagen de prueba n.º {index}<br>real: {true}<br>predicha: {pred}"),
    "explain.map_axis_pca": ("principal component {n}", "componente principal {n}"),
    "explain.map_axis_tsne": ("t-SNE dimension {n}", "dimensión t-SNE {n}"),
    "explain.map_not_on_map": ("The chosen image is not among the {count} on this map, and t-SNE cannot place new "
                               "images: switch to PCA, or click a point to pick one.",
                               "La imagen elegida no está entre las {count} del mapa y t-SNE no puede situar imágenes "
                               "nuevas: cambia a PCA o haz clic en un punto para elegir una."),
    "explain.map_placed": ("The chosen image is not one of the {count}; the star places it with the same projection.",
                           "La imagen elegida no es una de las {count}; la estrella la sitúa con la misma proyección."),
    "explain.map_selected": ("Chosen image", "Imagen elegida"),
    # layer kinds (fashion/i18n/names.py): Keras' class name stays in brackets after these
    "layer.Conv2D": ("Convolution", "Convolución"),
    "layer.MaxPooling2D": ("Max pooling", "Reducción por máximo"),
    "layer.AveragePooling2D": ("Average pooling", "Reducción por promedio"),
    "layer.GlobalAveragePooling2D": ("Global average", "Promedio global"),
    "layer.BatchNormalization": ("Batch normalisation", "Normalización por lotes"),
    "layer.ReLU": ("ReLU activation", "Activación ReLU"),
    "layer.Activation": ("Activation", "Activación"),
    "layer.Flatten": ("Flatten", "Aplanado"),
    "layer.Dropout": ("Dropout", "Apagado aleatorio"),
    "layer.Dense": ("Dense (fully connected)", "Densa (totalmente conectada)"),
    "layer.Add": ("Residual sum", "Suma residual"),
    "layer.InputLayer": ("Input", "Entrada"),
    "layer.Rescaling": ("Rescaling", "Reescalado"),
    "layer.Functional": ("Inner network", "Red interna"),
    "layer.Sequential": ("Inner network", "Red interna"),
}
