"""HTTP routes served beside the Streamlit interface (st.App)."""
