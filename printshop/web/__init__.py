"""web/: a Document -> one accessible, self-contained HTML page (a handout's web version).

A PDF from reportlab is untagged: a screen reader cannot read it, and a phone shows it
small. The web version says the same words in the same order as the handout (the
layout's blocks, read from the same Document), with real headings, lists and landmarks,
every illustration described by its `alt` text from the language file, the video links
as links, and the pictures, styles and nothing else inline: one file that opens from a
shared drive, a USB stick or a ward's web server. This stage reads content only: it
never composes or draws.
"""
