"""Clients of content management systems: one interface (:mod:`app.cms.base`), one module per CMS."""
