"""app/cms/wordpress"""
