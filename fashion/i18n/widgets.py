"""Streamlit's own texts inside its file uploader and camera widgets, which it writes in
English only and offers no option to change: each English side is Streamlit's text
EXACTLY as its frontend writes it (tests/test_compat.py finds every one in the installed
Streamlit's frontend bundle), the Spanish side what pages/ui/compat.py shows instead.

Placeholders: {size} is a file size as Streamlit writes it ("25MB", "19.3KB"; shown as
"25 MB", "19,3 KB"); {name} a file's name; {type} a file's MIME type."""

STRINGS = {
    # --- the file uploader's drop zone ---
    "st.drop_files": ("Drag and drop files here", "Arrastra y suelta los archivos aquí"),
    "st.drop_file": ("Drag and drop a file here", "Arrastra y suelta un archivo aquí"),
    "st.upload": ("Upload", "Subir"),
    "st.per_file": ("{size} per file", "{size} por archivo"),
    "st.add_files": ("Add files", "Añadir archivos"),
    # --- an uploaded file ---
    "st.remove_file": ("Remove {name}", "Quitar {name}"),
    "st.cancel_upload": ("Cancel upload of {name}", "Cancelar la subida de {name}"),
    "st.retry_upload": ("Click to retry upload", "Haz clic para volver a subirlo"),
    "st.upload_failed": ("Upload failed", "No se pudo subir"),
    "st.too_large": ("File must be {size} or smaller.", "El archivo debe ocupar {size} o menos."),
    "st.too_small": ("File size is too small.", "El archivo es demasiado pequeño."),
    "st.wrong_type": ("{type} files are not allowed.", "No se admiten archivos {type}."),
    "st.one_file": ("Only one file is allowed.", "Solo se admite un archivo."),
    "st.unexpected": ("Unexpected error. Please try again.", "Error inesperado. Inténtalo de nuevo."),
    # --- the camera ---
    "st.take_photo": ("Take Photo", "Hacer la foto"),
    "st.clear_photo": ("Clear photo", "Borrar la foto"),
    "st.uploading": ("Uploading...", "Subiendo…"),
    "st.camera_ask": ("This app would like to use your camera.", "Esta aplicación quiere usar tu cámara."),
    "st.camera_how": ("Learn how to allow access.", "Cómo permitir el acceso."),
    "st.switch_camera": ("Switch camera", "Cambiar de cámara"),
}
