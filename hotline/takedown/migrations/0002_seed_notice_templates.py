"""The notice, referral and escalation emails in English and French, for managers to adapt."""

from django.db import migrations

NOTICE_EN = """Dear {{ recipient_name }},

{{ hotline_name }} has assessed the following {% if url_count == 1 %}web address{% else %}{{ url_count }} web addresses{% endif %}, hosted on your network, as showing child sexual abuse material, which is illegal. Please remove {% if url_count == 1 %}it{% else %}them{% endif %} without delay, and do not visit, copy or forward {% if url_count == 1 %}it{% else %}them{% endif %}.
{% if repeat %}
This is a repeat notice: our checks show that some of this content is still available.
{% endif %}
{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   our reference {{ url.case_reference }}, confirmed {{ url.confirmed_at }}{% if url.first_notified_at %}, first notified {{ url.first_notified_at }}{% endif %}
{% endfor %}
We check each address until it is gone. Please quote {{ reference }} in any reply.

{{ hotline_name }}
"""

NOTICE_FR = """Madame, Monsieur ({{ recipient_name }}),

{{ hotline_name }} a établi que {% if url_count == 1 %}l'adresse suivante, hébergée{% else %}les {{ url_count }} adresses suivantes, hébergées{% endif %} sur votre réseau, {% if url_count == 1 %}montre{% else %}montrent{% endif %} des contenus d'abus sexuels sur des enfants, qui sont illégaux. Merci de {% if url_count == 1 %}la{% else %}les{% endif %} retirer sans délai, sans {% if url_count == 1 %}la{% else %}les{% endif %} consulter, copier ni transmettre.
{% if repeat %}
Ceci est une relance : nos vérifications montrent qu'une partie de ces contenus est toujours en ligne.
{% endif %}
{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   notre référence {{ url.case_reference }}, confirmée le {{ url.confirmed_at }}{% if url.first_notified_at %}, premier signalement le {{ url.first_notified_at }}{% endif %}
{% endfor %}
Nous vérifions chaque adresse jusqu'à son retrait. Merci de rappeler la référence {{ reference }} dans votre réponse.

{{ hotline_name }}
"""

REFERRAL_EN = """Dear colleagues at {{ recipient_name }},

{{ hotline_name }} refers to you the following {% if url_count == 1 %}web address{% else %}{{ url_count }} web addresses{% endif %}, which our analysts confirmed as child sexual abuse material and which {% if url_count == 1 %}is{% else %}are{% endif %} hosted in your country ({{ country }}).

{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   our reference {{ url.case_reference }}, confirmed {{ url.confirmed_at }}
{% endfor %}
Our reference for this referral is {{ reference }}.

{{ hotline_name }}
"""

REFERRAL_FR = """Chers collègues de {{ recipient_name }},

{{ hotline_name }} vous transmet {% if url_count == 1 %}l'adresse suivante{% else %}les {{ url_count }} adresses suivantes{% endif %}, que nos analystes ont confirmée{% if url_count != 1 %}s{% endif %} comme contenus d'abus sexuels sur des enfants, hébergée{% if url_count != 1 %}s{% endif %} dans votre pays ({{ country }}).

{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   notre référence {{ url.case_reference }}, confirmée le {{ url.confirmed_at }}
{% endfor %}
Notre référence pour cette transmission : {{ reference }}.

{{ hotline_name }}
"""

ESCALATION_EN = """Dear colleagues at {{ recipient_name }},

The hosting providers of the following {% if url_count == 1 %}web address{% else %}{{ url_count }} web addresses{% endif %} have not removed confirmed child sexual abuse material despite repeated notices from {{ hotline_name }}.

{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   our reference {{ url.case_reference }}, first notified {{ url.first_notified_at }}
{% endfor %}
Our reference for this escalation is {{ reference }}.

{{ hotline_name }}
"""

ESCALATION_FR = """Chers collègues de {{ recipient_name }},

Les hébergeurs {% if url_count == 1 %}de l'adresse suivante n'ont{% else %}des {{ url_count }} adresses suivantes n'ont{% endif %} pas retiré des contenus d'abus sexuels sur des enfants confirmés, malgré les relances de {{ hotline_name }}.

{% for url in urls %}{{ forloop.counter }}. {{ url.address }}
   notre référence {{ url.case_reference }}, premier signalement le {{ url.first_notified_at }}
{% endfor %}
Notre référence pour ce signalement : {{ reference }}.

{{ hotline_name }}
"""

TEMPLATES = [
    ("notice", "en", "Notice {{ reference }}: child sexual abuse material on your network", NOTICE_EN),
    ("notice", "fr", "Signalement {{ reference }} : contenus d'abus sexuels sur des enfants sur votre réseau", NOTICE_FR),
    ("referral", "en", "Referral {{ reference }} from {{ hotline_name }}", REFERRAL_EN),
    ("referral", "fr", "Transmission {{ reference }} de {{ hotline_name }}", REFERRAL_FR),
    ("escalation", "en", "Escalation {{ reference }}: content still online after notices", ESCALATION_EN),
    ("escalation", "fr", "Signalement {{ reference }} : contenus toujours en ligne après relances", ESCALATION_FR),
]


def seed(apps, schema_editor):
    NoticeTemplate = apps.get_model("takedown", "NoticeTemplate")
    for kind, language, subject, body in TEMPLATES:
        NoticeTemplate.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("takedown", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
