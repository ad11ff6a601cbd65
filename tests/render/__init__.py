"""Tests of pipeline.render (the publishing stage)."""
