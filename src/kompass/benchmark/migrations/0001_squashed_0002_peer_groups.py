
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('benchmark', '0001_initial'),
        ('benchmark', '0002_peer_groups'),
    ]

    dependencies = [
        ('catalogue', '0001_squashed_0002_versions_as_data'),
        ('municipalities', '0001_squashed_0002_population'),
    ]

    operations = [
        migrations.CreateModel(
            name='PeerGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=120, unique=True, verbose_name='nyckel')),
                ('scheme', models.CharField(blank=True, help_text='Till exempel SKR:s kommungruppsindelning 2023.', max_length=200, verbose_name='indelning')),
                ('name', models.CharField(max_length=200, verbose_name='namn')),
                ('municipalities', models.ManyToManyField(related_name='peer_groups', to='municipalities.municipality', verbose_name='kommuner')),
            ],
            options={
                'verbose_name': 'jämförelsegrupp',
                'verbose_name_plural': 'jämförelsegrupper',
                'ordering': ['scheme', 'name'],
            },
        ),
        migrations.CreateModel(
            name='PublishedReference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='värde')),
                ('from_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='från år')),
                ('to_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='till år')),
                ('country', models.CharField(blank=True, choices=[('SE', 'Sverige'), ('NO', 'Norge'), ('DK', 'Danmark')], max_length=2, verbose_name='land')),
                ('description', models.CharField(max_length=300, verbose_name='beskrivning')),
                ('source', models.CharField(max_length=300, verbose_name='källa')),
                ('area', models.ForeignKey(blank=True, help_text='Tomt för totalpoängen.', null=True, on_delete=django.db.models.deletion.PROTECT, to='catalogue.area', verbose_name='område')),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='catalogue.framework', verbose_name='version')),
            ],
            options={
                'verbose_name': 'publicerat jämförelsevärde',
                'verbose_name_plural': 'publicerade jämförelsevärden',
                'ordering': ['framework__code', 'area__number', 'from_year'],
                'constraints': [models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='published_reference_not_negative')],
            },
        ),
    ]
