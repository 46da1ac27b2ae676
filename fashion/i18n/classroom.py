"""Strings of the classroom rules: run ownership, caps, the worker's failures, teacher mode,
and the browser's saved model choice."""

STRINGS = {
    # refusals of fashion.runs.jobs (JobRefused keys)
    "train.err.epochs_cap": ("This server allows at most {limit} epochs per run; lower the number of epochs.",
                             "Este servidor permite como máximo {limit} épocas por ejecución; baja el número de "
                             "épocas."),
    "train.err.one_per_browser": ("This browser already has a run waiting or training. Stop it, or wait until it "
                                  "finishes, before starting another.",
                                  "Este navegador ya tiene una ejecución en espera o entrenando. Detenla, o espera "
                                  "a que termine, antes de empezar otra."),
    "train.err.queue_full": ("The queue is full ({limit} runs waiting). Try again when a run has finished.",
                             "La cola está llena ({limit} ejecuciones en espera). Vuelve a intentarlo cuando "
                             "termine alguna."),
    "train.err.one_per_address": ("Another browser on this computer's network address already has {limit} run(s) "
                                  "waiting or training: one training at a time per person. Wait until it "
                                  "finishes. (Teacher: if the whole class reaches the server through one address, "
                                  "raise max_runs_per_address in the server's secrets.)",
                                  "Otro navegador con la misma dirección de red ya tiene {limit} ejecución(es) en "
                                  "espera o entrenando: un entrenamiento a la vez por persona. Espera a que "
                                  "termine. (Profesor: si toda la clase llega al servidor por una sola dirección, "
                                  "sube max_runs_per_address en los secretos del servidor.)"),
    "train.err.not_yours": ("This run was started in another browser: only that browser, or the teacher, can "
                            "stop it.",
                            "Esta ejecución se empezó en otro navegador: solo ese navegador, o el profesor, "
                            "puede detenerla."),
    # failures of the worker process
    "train.err.worker_killed": ("Training failed: its process was ended by the system (signal {signal}), most "
                                "likely because the server ran out of memory. Lower the batch size or use a "
                                "smaller network. Other runs and the app are not affected.",
                                "El entrenamiento falló: el sistema terminó su proceso (señal {signal}), "
                                "probablemente porque el servidor se quedó sin memoria. Baja el tamaño de lote o "
                                "usa una red más pequeña. Las demás ejecuciones y la aplicación siguen "
                                "funcionando."),
    "train.err.worker_died": ("Training failed: its process ended unexpectedly (exit status {code}). Other runs "
                              "and the app are not affected.",
                              "El entrenamiento falló: su proceso terminó de forma inesperada (código de salida "
                              "{code}). Las demás ejecuciones y la aplicación siguen funcionando."),
    "train.err.stop_forced": ("The run did not stop within {seconds} s, so its process was ended. The completed "
                              "epochs could not be saved as a model.",
                              "La ejecución no se detuvo en {seconds} s y se terminó su proceso. Las épocas "
                              "completas no se pudieron guardar como modelo."),
    "train.resumed": ("The server restarted during this run; it continued from its last complete epoch.",
                      "El servidor se reinició durante esta ejecución; continuó desde su última época completa."),
    # ownership on the Train page
    "train.visible_to_class": ("Models trained here are saved on this server: everyone in the class sees them in "
                               "the model list.",
                               "Los modelos entrenados aquí se guardan en este servidor: toda la clase los ve en "
                               "la lista de modelos."),
    "train.not_yours": ("This run belongs to another browser; you can watch it but not stop it.",
                        "Esta ejecución pertenece a otro navegador; puedes verla pero no detenerla."),
    "train.all_runs": ("Runs on this server (teacher)", "Ejecuciones en este servidor (profesor)"),
    "train.all_runs_empty": ("No run is waiting or training.", "No hay ninguna ejecución en espera ni entrenando."),
    "train.run_line": ("{name} · {state} · browser …{owner}", "{name} · {state} · navegador …{owner}"),
    "train.state.queued": ("waiting", "en espera"),
    "train.state.running": ("training", "entrenando"),
    "train.open_run": ("Open", "Abrir"),
    "train.stop_run": ("Stop", "Detener"),
    # teacher mode (sidebar)
    "teacher.title": ("Teacher mode", "Modo profesor"),
    "teacher.passphrase": ("Teacher passphrase", "Contraseña del profesor"),
    "teacher.unlock": ("Unlock", "Desbloquear"),
    "teacher.lock": ("Leave teacher mode", "Salir del modo profesor"),
    "teacher.wrong": ("Wrong passphrase.", "Contraseña incorrecta."),
    "teacher.on": ("Teacher mode is on in this browser: you can stop any run, delete models and set the class "
                   "default model.",
                   "El modo profesor está activo en este navegador: puedes detener cualquier ejecución, borrar "
                   "modelos y elegir el modelo predeterminado de la clase."),
    "teacher.unavailable": ("Teacher mode is off on this server. To turn it on, put teacher_passphrase = \"…\" in "
                            ".streamlit/secrets.toml (or the app's secrets on Streamlit Community Cloud) and "
                            "reload.",
                            "El modo profesor no está disponible en este servidor. Para activarlo, pon "
                            "teacher_passphrase = \"…\" en .streamlit/secrets.toml (o en los secretos de la app "
                            "en Streamlit Community Cloud) y recarga."),
    "teacher.set_default": ("Make the active model the class default", "Hacer del modelo activo el predeterminado "
                            "de la clase"),
    "teacher.default_is": ("Class default: {name}", "Predeterminado de la clase: {name}"),
    "teacher.delete": ("Delete a model", "Borrar un modelo"),
    "teacher.delete_button": ("Delete", "Borrar"),
    "teacher.deleted": ("Deleted {name}.", "Se borró {name}."),
    "teacher.locked": ("Too many wrong passphrases. Try again in {wait}.",
                       "Demasiadas contraseñas incorrectas. Vuelve a intentarlo dentro de {wait}."),
    "teacher.wait_seconds": ("{n} s", "{n} s"),
    "teacher.wait_minutes": ("{n} min", "{n} min"),
    "teacher.clear_queue": ("Cancel every waiting run ({count})", "Cancelar todas las ejecuciones en espera "
                            "({count})"),
    "teacher.clear_queue_help": ("Runs that are training go on; stop those one by one on Train.",
                                 "Las ejecuciones que ya entrenan siguen; detenlas una a una en Entrenar."),
    "teacher.queue_cleared": ("Cancelled {count} waiting run(s).", "Se cancelaron {count} ejecución(es) en espera."),
    "teacher.no_user_models": ("No model trained in class yet.", "Aún no hay modelos entrenados en clase."),
}
