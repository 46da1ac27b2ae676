"""Dataset: look at Fashion-MNIST before training anything. The 5x5 grid of course notebook 000,
one class at a time, class counts, mean images and the pixel-intensity histogram.
The summaries are computed once per dataset (st.cache_data keyed by its source)."""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

from fashion.i18n import TABLE
from fashion.i18n.numbers import fmt_int, fmt_num, fmt_pct
from pages.ui.compat import run_through_frame
from pages.ui.models import dataset
from pages.ui.session import lang, names, tr
from pages.ui.widgets import gallery

run_through_frame()


# --- cached summaries (the arrays are passed unhashed; the source names the dataset) ----

def source_in_words(source: str) -> str:
    """Where the images came from, in plain words: 'debian (/usr/share/...)' -> the
    Fashion-MNIST files installed on this computer (/usr/share/...)."""
    kind, _, folder = str(source).partition(" (")
    key = f"data.from.{kind}"
    return tr(key, folder=folder.rstrip(")")) if key in TABLE else str(source)


@st.cache_data(show_spinner=False)
def class_counts(source: str, _y_train, _y_test) -> tuple[np.ndarray, np.ndarray]:
    return np.bincount(_y_train, minlength=10), np.bincount(_y_test, minlength=10)


@st.cache_data(show_spinner=False)
def class_means(source: str, _x, _y) -> np.ndarray:
    """(10, 28, 28) uint8: the mean training image of each class."""
    return np.stack([_x[_y == k].mean(axis=0) for k in range(10)]).round().astype(np.uint8)


@st.cache_data(show_spinner=False, max_entries=11)
def intensity_histogram(source: str, cls: int | None, _x, _y) -> np.ndarray:
    """Pixel counts for each grey level 0..255, over all training images or one class."""
    images = _x if cls is None else _x[_y == cls]
    return np.bincount(images.ravel(), minlength=256)


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("nav.dataset"))
    st.write(tr("data.intro"))
    with st.spinner(tr("data.loading")):     # from disk, once per server (the first visit after a restart)
        data = dataset()
    if data is None:
        st.stop()
    N, L = names(), lang()
    st.caption(tr("data.source", train=fmt_int(len(data.x_train), L), test=fmt_int(len(data.x_test), L),
                  h=data.x_train.shape[1], w=data.x_train.shape[2], source=source_in_words(data.source)))
    # --- the 5x5 grid of course notebook 000 --------------------------------------------------------------
    st.subheader(tr("data.grid"))
    st.caption(tr("data.grid_help"))
    with st.container(key="seed_grid"):
        gallery(data.x_train[:25], [N[int(k)] for k in data.y_train[:25]], columns=5, scale=3)
    # --- one class at a time --------------------------------------------------------------------
    st.subheader(tr("data.browse"))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    cls = c1.selectbox(tr("data.browse_class"), range(10), format_func=lambda k: N[k], key="data_class")
    if c2.button(tr("data.reshuffle"), icon=":material/shuffle:"):
        st.session_state["data_seed"] = st.session_state.get("data_seed", 0) + 1
    members = np.flatnonzero(data.y_train == cls)
    rng = np.random.default_rng([cls, st.session_state.get("data_seed", 0)])
    picked = np.sort(rng.choice(members, size=min(24, len(members)), replace=False))
    st.caption(tr("data.browse_caption", n=len(picked), name=N[cls], total=fmt_int(len(members), L)))
    with st.container(key="class_gallery"):
        gallery(data.x_train[picked], [f"#{i}" for i in picked], columns=12, scale=2)
    # --- class counts -------------------------------------------------------------------------------
    st.subheader(tr("data.counts"))
    train_counts, test_counts = class_counts(data.source, data.y_train, data.y_test)
    fig = go.Figure([go.Bar(name=tr("data.split_train"), x=N, y=train_counts),
                     go.Bar(name=tr("data.split_test"), x=N, y=test_counts)])
    fig.update_layout(barmode="group", height=330, margin={"t": 20, "b": 10}, yaxis_title=tr("data.images"),
                      legend={"orientation": "h", "y": 1.1})
    st.plotly_chart(fig, key="counts_chart")
    if train_counts.min() == train_counts.max() and test_counts.min() == test_counts.max():
        st.caption(tr("data.counts_note", train=fmt_int(train_counts[0], L), test=fmt_int(test_counts[0], L)))
    else:
        st.caption(tr("data.counts_uneven", low=fmt_int(train_counts.min(), L), high=fmt_int(train_counts.max(), L)))
    # --- mean image of each class -----------------------------------------------------------------
    st.subheader(tr("data.means"))
    st.caption(tr("data.means_help"))
    with st.container(key="mean_images"):
        gallery(class_means(data.source, data.x_train, data.y_train), N, columns=10, scale=3)
    # --- pixel-intensity histogram ------------------------------------------------------------------
    st.subheader(tr("data.histogram"))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    hist_options = {-1: tr("data.all_classes"), **dict(enumerate(N))}
    hist_cls = c1.selectbox(tr("data.hist_of"), list(hist_options), format_func=hist_options.get, key="hist_class")
    log = c2.toggle(tr("data.log_scale"), value=True, key="hist_log")
    counts = intensity_histogram(data.source, None if hist_cls < 0 else hist_cls, data.x_train, data.y_train)
    fig = go.Figure(go.Bar(x=np.arange(256), y=counts, marker_color="#555", marker_line_width=0))
    fig.update_layout(height=330, margin={"t": 20, "b": 10}, bargap=0, xaxis_title=tr("data.intensity"),
                      yaxis_title=tr("data.pixels"), yaxis_type="log" if log else "linear")
    st.plotly_chart(fig, key="hist_chart")
    total = counts.sum()
    st.caption(tr("data.hist_caption", zero=fmt_pct(counts[0] / total, L, 1), full=fmt_pct(counts[255] / total, L, 1),
                  mean=fmt_num((counts * np.arange(256)).sum() / total, L, 1)))


main()
