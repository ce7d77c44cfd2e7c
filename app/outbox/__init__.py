"""app/outbox"""
