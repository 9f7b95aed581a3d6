"""The web app (``rashomon serve``): the store's stories, articles, outlets and entities in a browser.

``app.create_app`` builds the ASGI application; ``data`` holds what each page shows (its JSON twin),
``views`` the HTML, ``comparisons`` the cached story comparisons, ``jobs`` adding articles.
"""
