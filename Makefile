# Conveniences for developers; the README's two commands are scripts/run and scripts/test.
.PHONY: run test lint bench screenshot

run:
	./scripts/run

test:
	./scripts/test

lint:
	./scripts/setup --test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports

bench:
	./scripts/setup --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py

screenshot:
	./scripts/setup
	.venv/bin/python scripts/screenshot.py docs/images/copydesk.png
