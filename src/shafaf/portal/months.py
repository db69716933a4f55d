"""Month names as Iraq writes them.

Django's Arabic catalogue names the months as Egypt does (ديسمبر); the commission
and Iraqi readers use the Syriac names (كانون الأول). Our catalogue, which Django
consults before its own, translates these same messages. Marked here so that
makemessages keeps them in it.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"),
    gettext_noop("April"), gettext_noop("May"), gettext_noop("June"),
    gettext_noop("July"), gettext_noop("August"), gettext_noop("September"),
    gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
)
