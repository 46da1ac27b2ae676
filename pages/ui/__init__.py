"""Shared UI helpers of the pages (not pages themselves): the session, the active model,
widgets, pictures, the Train page's parts and the one Streamlit compatibility module.
st.navigation in streamlit_app.py lists the pages; nothing here is one."""
