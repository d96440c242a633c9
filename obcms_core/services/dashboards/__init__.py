"""Evidence dashboards: figures for the gap analysis, executive overview and related pages."""
