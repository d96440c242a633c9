"""Deterministic demo data for the workbench, every row flagged is_demo (`seed-demo`)."""

from obcms_core.pipelines.demo.base import AS_OF as DEMO_AS_OF
from obcms_core.pipelines.demo.seeder import SeedReport, demo_present, seed_demo
from obcms_core.pipelines.demo.users import DEMO_USERS

__all__ = ["DEMO_AS_OF", "DEMO_USERS", "SeedReport", "demo_present", "seed_demo"]
