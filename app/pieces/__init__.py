"""app/pieces"""
