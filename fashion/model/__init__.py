"""The network and its files: conventions, the architecture zoo, the Classifier, the registry and model cards."""
