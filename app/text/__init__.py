"""app/text"""
