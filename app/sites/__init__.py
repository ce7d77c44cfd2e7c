"""app/sites"""
