import streamlit as st
from pages.common import tr
st.title(tr('nav.photo'))
