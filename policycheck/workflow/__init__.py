"""The pre-merge workflow around a run: configuration helpers, git, waivers, baseline, diff, scaffolding."""
