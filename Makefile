# Conveniences for developers; the README's two commands are scripts/run and scripts/test.
.PHONY: run test lint bench screenshot bundle

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

bundle:
	./scripts/setup --test
	packaging/install-build-deps
	.venv/bin/python -m pip install --quiet --editable '.[test,packaging]'
	packaging/build-linux.sh --venv .venv
