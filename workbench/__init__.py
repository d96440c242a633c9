"""Streamlit glue for the workbench: the database per process, sign-in, navigation, widgets."""
