"""Strings of learning from real photos (fashion/photoset.py, fashion/calibration.py) and the
real-photo figures shown beside Fashion-MNIST accuracy."""

STRINGS = {
    # --- photo folders that cannot be trained on (fashion.photoset.PhotoSetError) -------------
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
}
