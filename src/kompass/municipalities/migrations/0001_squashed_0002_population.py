
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('municipalities', '0001_initial'),
        ('municipalities', '0002_population'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='County',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', models.CharField(choices=[('SE', 'Sverige'), ('NO', 'Norge'), ('DK', 'Danmark')], default='SE', max_length=2, verbose_name='land')),
                ('code', models.CharField(max_length=2, validators=[django.core.validators.RegexValidator('^\\d{2}$', 'Länskoden ska ha två siffror, till exempel 01.')], verbose_name='kod')),
                ('name', models.CharField(max_length=100, verbose_name='namn')),
                ('short_name', models.CharField(blank=True, max_length=100, verbose_name='kortnamn')),
            ],
            options={
                'verbose_name': 'län',
                'verbose_name_plural': 'län',
                'ordering': ['country', 'code'],
                'constraints': [models.UniqueConstraint(fields=('country', 'code'), name='county_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='Municipality',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', models.CharField(choices=[('SE', 'Sverige'), ('NO', 'Norge'), ('DK', 'Danmark')], default='SE', max_length=2, verbose_name='land')),
                ('code', models.CharField(max_length=4, validators=[django.core.validators.RegexValidator('^\\d{4}$', 'Kommunkoden ska ha fyra siffror, till exempel 0114.')], verbose_name='kommunkod')),
                ('name', models.CharField(max_length=100, verbose_name='namn')),
                ('short_name', models.CharField(blank=True, max_length=100, verbose_name='kortnamn')),
                ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='folkmängd')),
                ('population_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='folkmängd, år')),
                ('county', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='municipalities', to='municipalities.county', verbose_name='län')),
            ],
            options={
                'verbose_name': 'kommun',
                'verbose_name_plural': 'kommuner',
                'ordering': ['country', 'code'],
                'constraints': [models.UniqueConstraint(fields=('country', 'code'), name='municipality_unique_code'), models.CheckConstraint(condition=models.Q(('code__regex', '^[0-9]{4}$')), name='municipality_code_4_digits')],
            },
        ),
    ]
