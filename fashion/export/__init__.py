"""Take it home: a saved model as a runnable course notebook (code + informe), or as a zip of
its .keras file and model card."""
