"""Organisations get their own names for the former contest columns and constraints, the billing
details invoices need (VAT number, legal form, billing address), and size figures that only the
contest requires (an organisation registered for a trip need not give them)."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

import organisations.validators


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        ('portal', '0003_profile_sector'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='membership', name='contest_company_member_unique'),
        migrations.RemoveConstraint(model_name='invitation', name='contest_company_invitation_one_open'),
        migrations.RenameField(model_name='membership', old_name='company', new_name='organisation'),
        migrations.RenameField(model_name='invitation', old_name='company', new_name='organisation'),
        migrations.AlterField(
            model_name='membership',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation', verbose_name='organisation'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('organisation', 'user'), name='organisation_member_unique'),
        ),
        migrations.AddConstraint(
            model_name='invitation',
            constraint=models.UniqueConstraint(models.F('organisation'), django.db.models.functions.text.Lower('email'), condition=models.Q(('accepted_at__isnull', True), ('declined_at__isnull', True), ('revoked_at__isnull', True)), name='organisation_invitation_one_open'),
        ),
    ]

    for model_name in ('organisation', 'historicalorganisation'):
        operations += [
            migrations.AddField(
                model_name=model_name,
                name='vat_number',
                field=models.CharField(blank=True, help_text='E.g. FR 12 345678901. Required on an invoice between businesses.', max_length=16, validators=[organisations.validators.validate_vat_number], verbose_name='intra-community VAT number'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='legal_form',
                field=models.CharField(blank=True, choices=[('sas', 'SAS (simplified joint-stock company)'), ('sasu', 'SASU (single-shareholder SAS)'), ('sarl', 'SARL (limited liability company)'), ('eurl', 'EURL (single-member SARL)'), ('sa', 'SA (public limited company)'), ('snc', 'SNC (general partnership)'), ('scop', 'SCOP (cooperative)'), ('ei', 'Sole proprietorship (EI)'), ('association', 'Association (law of 1901)'), ('federation', 'Professional federation or union'), ('public', 'Public body'), ('other', 'Other')], max_length=20, verbose_name='legal form'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='billing_address_line1',
                field=models.CharField(blank=True, max_length=200, verbose_name='billing address'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='billing_address_line2',
                field=models.CharField(blank=True, max_length=200, verbose_name='address (continued)'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='billing_postal_code',
                field=models.CharField(blank=True, max_length=16, verbose_name='postal code'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='billing_city',
                field=models.CharField(blank=True, max_length=120, verbose_name='city'),
            ),
            migrations.AddField(
                model_name=model_name,
                name='billing_country',
                field=models.CharField(default='FR', help_text='Two-letter ISO code, e.g. FR, BE, DE.', max_length=2, verbose_name='country'),
            ),
            migrations.AlterField(
                model_name=model_name,
                name='headcount',
                field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(10000000)], verbose_name='headcount (annual work units)'),
            ),
            migrations.AlterField(
                model_name=model_name,
                name='created_on',
                field=models.DateField(blank=True, null=True, verbose_name='creation date'),
            ),
        ]
    operations += [
        migrations.AlterField(
            model_name='organisation',
            name='region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='portal.region', verbose_name='region'),
        ),
    ]
