"""Development tools: regenerate data and goldens, and simulate the spinner for tests."""
