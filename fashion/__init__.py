"""Fashion-MNIST CNN Studio core: data, models, training, evaluation, photos, registry.

No Streamlit here; the app's pages call into this package.
"""
