"""The contest's companies become the portal's organisations (issue 15): the tables are renamed,
rows, ids and history stay as they are; ``organisations.0001_initial`` takes them over in the
migration state and ``0009`` leaves ``Company`` as a proxy of ``Organisation``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('contests', '0007_submission_text_limits'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable('company', 'organisations_organisation'),
                migrations.AlterModelTable('historicalcompany', 'organisations_historicalorganisation'),
                migrations.AlterModelTable('companymember', 'organisations_membership'),
                migrations.AlterModelTable('companyinvitation', 'organisations_invitation'),
            ],
            state_operations=[],
        ),
    ]
