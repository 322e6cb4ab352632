
import django.db.models.deletion
import kompass.append_only
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('catalogue', '0001_initial'),
        ('catalogue', '0002_versions_as_data'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Crosswalk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.TextField(blank=True, verbose_name='anmärkning')),
            ],
            options={
                'verbose_name': 'korsreferens',
                'verbose_name_plural': 'korsreferenser',
                'ordering': ['framework__code', 'target__code'],
            },
        ),
        migrations.CreateModel(
            name='Framework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, unique=True, verbose_name='version')),
                ('name', models.CharField(max_length=100, verbose_name='namn')),
                ('max_points', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='max')),
                ('in_use', models.CharField(blank=True, max_length=40, verbose_name='använd')),
                ('description', models.TextField(blank=True, verbose_name='beskrivning')),
                ('about', models.TextField(blank=True, verbose_name='Vad är Kommunkompassen?')),
                ('owner', models.CharField(blank=True, max_length=100, verbose_name='ägare')),
                ('language', models.CharField(default='sv', max_length=8, verbose_name='språk')),
                ('status', models.CharField(choices=[('draft', 'utkast'), ('active', 'aktiv'), ('retired', 'utgången')], default='draft', max_length=8, verbose_name='status')),
                ('public_questions', models.BooleanField(default=False, verbose_name='frågor och vägledning får visas öppet')),
                ('revision', models.PositiveIntegerField(default=0, help_text='ökar vid varje inläsning', verbose_name='revision')),
                ('loaded_at', models.DateTimeField(blank=True, null=True, verbose_name='inläst')),
                ('shipped_digest', models.CharField(blank=True, editable=False, max_length=64)),
            ],
            options={
                'verbose_name': 'version',
                'verbose_name_plural': 'versioner',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='CrosswalkPair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('area', 'område'), ('question', 'delfråga')], max_length=8)),
                ('source', models.CharField(max_length=8, verbose_name='från')),
                ('target', models.CharField(max_length=8, verbose_name='till')),
                ('position', models.PositiveSmallIntegerField()),
                ('crosswalk', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pairs', to='catalogue.crosswalk')),
            ],
            options={
                'ordering': ['crosswalk', 'kind', 'position'],
            },
        ),
        migrations.AddField(
            model_name='crosswalk',
            name='framework',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='crosswalks', to='catalogue.framework'),
        ),
        migrations.AddField(
            model_name='crosswalk',
            name='target',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.framework', verbose_name='till version'),
        ),
        migrations.CreateModel(
            name='CatalogueChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('by', models.CharField(blank=True, max_length=150, verbose_name='av')),
                ('field', models.CharField(max_length=300, verbose_name='vad')),
                ('old', models.TextField(blank=True, verbose_name='före')),
                ('new', models.TextField(blank=True, verbose_name='efter')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='catalogue.framework')),
            ],
            options={
                'verbose_name': 'ändring i katalogen',
                'verbose_name_plural': 'ändringar i katalogen',
                'ordering': ['framework', 'at', 'id'],
            },
            bases=(kompass.append_only.AppendOnly, models.Model),
        ),
        migrations.CreateModel(
            name='Area',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='nummer')),
                ('title', models.CharField(max_length=200, verbose_name='namn')),
                ('max_points', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='max')),
                ('headings', models.JSONField(blank=True, default=list, verbose_name='rubriker')),
                ('guidance', models.JSONField(blank=True, default=dict, verbose_name='vägledning')),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='catalogue.framework')),
            ],
            options={
                'verbose_name': 'område',
                'verbose_name_plural': 'områden',
                'ordering': ['framework__code', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8, verbose_name='delfråga')),
                ('text', models.TextField(verbose_name='fråga')),
                ('short', models.CharField(blank=True, max_length=200, verbose_name='kort rubrik')),
                ('subarea', models.CharField(blank=True, max_length=200, verbose_name='delområde')),
                ('max_points', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='max')),
                ('position', models.PositiveSmallIntegerField()),
                ('guidance', models.JSONField(blank=True, default=dict, verbose_name='vägledning')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='catalogue.area')),
            ],
            options={
                'verbose_name': 'delfråga',
                'verbose_name_plural': 'delfrågor',
                'ordering': ['area__framework__code', 'area__number', 'position'],
            },
        ),
        migrations.AddConstraint(
            model_name='crosswalk',
            constraint=models.UniqueConstraint(fields=('framework', 'target'), name='crosswalk_unique_target'),
        ),
        migrations.AddConstraint(
            model_name='area',
            constraint=models.UniqueConstraint(fields=('framework', 'number'), name='area_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.UniqueConstraint(fields=('area', 'code'), name='question_unique_code'),
        ),
    ]
