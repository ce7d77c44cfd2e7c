"""The pre-publish checklist (issue 11): per site, configurable, enforced before submit, approve and
publish here and, through the companion plugin, on the site (``core.checklist``)."""
