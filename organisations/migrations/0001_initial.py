"""Takes over the contest's company tables (renamed by ``contests.0008``) in the migration state,
exactly as they are in the database; ``0002`` then changes them with ordinary operations."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import organisations.models
import organisations.validators


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contests', '0008_companies_become_organisations'),
        ('portal', '0003_profile_sector'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('legal_name', models.CharField(max_length=200, verbose_name='legal name')),
                ('siret', models.CharField(max_length=14, unique=True, validators=[organisations.validators.validate_siret], verbose_name='SIRET')),
                ('headcount', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(10000000)], verbose_name='headcount (annual work units)')),
                ('turnover_eur', models.PositiveBigIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(1000000000000000)], verbose_name='annual turnover (€)')),
                ('balance_sheet_eur', models.PositiveBigIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(1000000000000000)], verbose_name='balance-sheet total (€)')),
                ('created_on', models.DateField(verbose_name='creation date')),
                ('independence_declared', models.BooleanField(default=False, help_text='Less than 25% of the capital or voting rights held by one or more large companies.', verbose_name='independence declared')),
                ('is_demo', models.BooleanField(default=False, verbose_name='demo content')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['legal_name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalOrganisation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('legal_name', models.CharField(max_length=200, verbose_name='legal name')),
                ('siret', models.CharField(db_index=True, max_length=14, validators=[organisations.validators.validate_siret], verbose_name='SIRET')),
                ('headcount', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(10000000)], verbose_name='headcount (annual work units)')),
                ('turnover_eur', models.PositiveBigIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(1000000000000000)], verbose_name='annual turnover (€)')),
                ('balance_sheet_eur', models.PositiveBigIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(1000000000000000)], verbose_name='balance-sheet total (€)')),
                ('created_on', models.DateField(verbose_name='creation date')),
                ('independence_declared', models.BooleanField(default=False, help_text='Less than 25% of the capital or voting rights held by one or more large companies.', verbose_name='independence declared')),
                ('is_demo', models.BooleanField(default=False, verbose_name='demo content')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'historical organisation',
                'verbose_name_plural': 'historical organisations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('leader', 'Leader'), ('member', 'Team member')], default='leader', max_length=20, verbose_name='role')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='organisation_memberships', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'member',
                'verbose_name_plural': 'members',
                'constraints': [models.UniqueConstraint(fields=('company', 'user'), name='contest_company_member_unique')],
            },
        ),
        migrations.AddField(
            model_name='organisation',
            name='members',
            field=models.ManyToManyField(related_name='organisations', through='organisations.Membership', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('token', models.CharField(default=organisations.models.invitation_token, editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                ('declined_at', models.DateTimeField(blank=True, null=True, verbose_name='declined')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by')),
                ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organisations.organisation', verbose_name='organisation')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
            ],
            options={
                'verbose_name': 'invitation to an organisation',
                'verbose_name_plural': 'invitations to an organisation',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(models.F('company'), django.db.models.functions.text.Lower('email'), condition=models.Q(('accepted_at__isnull', True), ('declined_at__isnull', True), ('revoked_at__isnull', True)), name='contest_company_invitation_one_open')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
