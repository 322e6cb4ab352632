
import django.db.models.deletion
import kompass.append_only
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('workspace', '0001_initial'),
        ('workspace', '0002_previsit_self_assessment'),
        ('workspace', '0003_scores_and_answers_per_area'),
        ('workspace', '0004_lead_evaluator'),
    ]

    dependencies = [
        ('catalogue', '0001_squashed_0002_versions_as_data'),
        ('evaluations', '0001_squashed_0007_area_assessment_rationale'),
        ('municipalities', '0001_squashed_0002_population'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='poäng inlämnade')),
                ('lead', models.BooleanField(default=False, verbose_name='ansvarig utvärderare')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='evaluations.evaluation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'uppdrag',
                'verbose_name_plural': 'uppdrag',
                'ordering': ['evaluation', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('username', models.CharField(blank=True, max_length=150)),
                ('field', models.CharField(max_length=300, verbose_name='vad')),
                ('old', models.TextField(blank=True, verbose_name='före')),
                ('new', models.TextField(blank=True, verbose_name='efter')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audit_entries', to='evaluations.evaluation')),
                ('private_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'ändring',
                'verbose_name_plural': 'ändringshistorik',
                'ordering': ['evaluation', 'at', 'id'],
            },
            bases=(kompass.append_only.AppendOnly, models.Model),
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('interview', 'intervju'), ('document', 'dokument'), ('website', 'webbplats')], max_length=20, verbose_name='slag')),
                ('date', models.DateField(verbose_name='datum')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='titel')),
                ('interviewee', models.CharField(blank=True, max_length=300, verbose_name='intervjuad roll eller grupp')),
                ('url', models.URLField(blank=True, max_length=1000, verbose_name='adress')),
                ('notes', models.TextField(blank=True, verbose_name='anteckningar')),
                ('file_name', models.CharField(blank=True, max_length=100, verbose_name='lagrad fil')),
                ('original_name', models.CharField(blank=True, max_length=200, verbose_name='filnamn')),
                ('content_type', models.CharField(blank=True, max_length=100)),
                ('size', models.PositiveIntegerField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('areas', models.ManyToManyField(blank=True, related_name='+', to='catalogue.area', verbose_name='områden')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='evaluations.evaluation')),
                ('questions', models.ManyToManyField(blank=True, related_name='evidence', to='catalogue.question', verbose_name='delfrågor')),
            ],
            options={
                'verbose_name': 'underlag',
                'verbose_name_plural': 'underlag',
                'ordering': ['evaluation', 'date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='FollowUpItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.TextField(verbose_name='förbättringsområde')),
                ('done', models.BooleanField(default=False, verbose_name='behandlad')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='catalogue.area')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_up_items', to='evaluations.evaluation')),
                ('previous', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='evaluations.finding')),
            ],
            options={
                'ordering': ['evaluation', 'area__number', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='IndependentScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='poäng')),
                ('justification', models.TextField(blank=True, verbose_name='motivering')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.area')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='workspace.assignment')),
                ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='catalogue.question')),
            ],
            options={
                'ordering': ['assignment', 'question__area__number', 'question__position', 'area__number'],
            },
        ),
        migrations.CreateModel(
            name='PrevisitAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(blank=True, verbose_name='svar')),
                ('self_score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='självskattning')),
                ('self_comment', models.TextField(blank=True, verbose_name='kommentar till självskattningen')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalogue.area')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='previsit_answers', to='evaluations.evaluation')),
                ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='catalogue.question')),
            ],
            options={
                'ordering': ['evaluation', 'question__area__number', 'question__position', 'area__number'],
            },
        ),
        migrations.CreateModel(
            name='PrevisitAttachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file_name', models.CharField(max_length=100)),
                ('original_name', models.CharField(max_length=200, verbose_name='filnamn')),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='workspace.previsitanswer')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['answer', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('admin', 'administratör'), ('evaluator', 'utvärderare'), ('municipality', 'kommunens kontaktperson')], max_length=20, verbose_name='roll')),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('municipality', models.ForeignKey(blank=True, help_text='Kommunen som en kontaktperson företräder.', null=True, on_delete=django.db.models.deletion.PROTECT, to='municipalities.municipality', verbose_name='kommun')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'profil',
                'verbose_name_plural': 'profiler',
            },
        ),
        migrations.CreateModel(
            name='Revision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='revision')),
                ('reason', models.TextField(verbose_name='skäl')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('document', models.JSONField()),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='evaluations.evaluation')),
            ],
            options={
                'verbose_name': 'revision',
                'verbose_name_plural': 'revisioner',
                'ordering': ['evaluation', 'number'],
            },
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(fields=('evaluation', 'user'), name='assignment_unique'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(condition=models.Q(('lead', True)), fields=('evaluation',), name='assignment_one_lead'),
        ),
        migrations.AddConstraint(
            model_name='independentscore',
            constraint=models.UniqueConstraint(fields=('assignment', 'question'), name='independent_score_unique'),
        ),
        migrations.AddConstraint(
            model_name='independentscore',
            constraint=models.UniqueConstraint(fields=('assignment', 'area'), name='independent_score_area_unique'),
        ),
        migrations.AddConstraint(
            model_name='independentscore',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('area__isnull', True), ('question__isnull', False)), models.Q(('area__isnull', False), ('question__isnull', True)), _connector='OR'), name='independent_score_one_unit'),
        ),
        migrations.AddConstraint(
            model_name='independentscore',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__isnull', True), _connector='OR'), name='independent_score_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='previsitanswer',
            constraint=models.UniqueConstraint(fields=('evaluation', 'question'), name='previsit_answer_unique'),
        ),
        migrations.AddConstraint(
            model_name='previsitanswer',
            constraint=models.UniqueConstraint(fields=('evaluation', 'area'), name='previsit_answer_area_unique'),
        ),
        migrations.AddConstraint(
            model_name='previsitanswer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('area__isnull', True), ('question__isnull', False)), models.Q(('area__isnull', False), ('question__isnull', True)), _connector='OR'), name='previsit_answer_one_unit'),
        ),
        migrations.AddConstraint(
            model_name='previsitanswer',
            constraint=models.CheckConstraint(condition=models.Q(('self_score__gte', 0), ('self_score__isnull', True), _connector='OR'), name='self_score_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='profile',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'municipality'), _negated=True), ('municipality__isnull', False), _connector='OR'), name='profile_contact_has_municipality'),
        ),
        migrations.AddConstraint(
            model_name='revision',
            constraint=models.UniqueConstraint(fields=('evaluation', 'number'), name='revision_unique'),
        ),
    ]
